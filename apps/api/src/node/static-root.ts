import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

/** Refused under the static root whatever the sensitive-file guard upstream decides: dotfiles and source maps. */
const HIDDEN = /(?:^|\/)\.|\.map$/;

/**
 * Serves `SMARTER_STATIC_ROOT` under `SMARTER_STATIC_URL` (Node, Bun and Deno entries; Workers use assets). GET and
 * HEAD only, no directory listings, no dotfiles, `nosniff` and a revalidating cache. Mount it after the workbench's
 * own assets and behind the security layer (its sensitive-file guard runs first).
 *
 * @example
 * if (config.staticRoot) app.route('/static', staticRootRoutes(config.staticRoot, config.staticUrl));
 */
export function staticRootRoutes(root: string, staticUrl: string = '/static/'): Hono {
  const app = new Hono();
  const prefix = staticUrl.replace(/\/$/, '');
  const files = serveStatic({
    root,
    // The request path includes the mount prefix; files are looked up relative to the root.
    rewriteRequestPath: (path) => (path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : '/\0'),
  });
  app.on(['GET', 'HEAD'], '/*', async function staticRoot(c, next) {
    const path = c.req.path;
    if (HIDDEN.test(path) || path.endsWith('/')) return c.notFound();
    const res = await files(c, next);
    if (!(res instanceof Response) || !res.ok) return res;
    const headers = new Headers(res.headers);
    headers.set('x-content-type-options', 'nosniff');
    headers.set('cache-control', 'public, max-age=300, must-revalidate');
    return new Response(res.body, { status: res.status, headers });
  });
  return app;
}
