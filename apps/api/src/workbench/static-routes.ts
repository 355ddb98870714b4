import { Hono } from 'hono';
import { toHex } from '../internal/hex.ts';
import { WORKBENCH_CSS } from './assets/css.ts';
import { WORKBENCH_JS } from './assets/js.ts';

interface Asset {
  readonly body: string;
  readonly type: string;
}

const ASSETS: Readonly<Record<string, Asset>> = {
  'workbench.css': { body: WORKBENCH_CSS, type: 'text/css; charset=utf-8' },
  'workbench.js': { body: WORKBENCH_JS, type: 'text/javascript; charset=utf-8' },
};

async function etagOf(body: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body));
  return `"${toHex(new Uint8Array(digest).slice(0, 12))}"`;
}

/**
 * Serves the workbench's own CSS and JS (embedded, so it works on Workers without a filesystem). Mount at
 * `SMARTER_STATIC_URL`. Unknown names fall through (404 problem, or a static-root handler mounted after).
 *
 * @example
 * app.route(config.staticUrl.replace(/\/$/, ''), workbenchStaticRoutes());
 */
export function workbenchStaticRoutes(): Hono {
  const app = new Hono();
  const etags = new Map<string, Promise<string>>();
  app.on(['GET', 'HEAD'], '/:name{workbench\\.(?:css|js)}', async function workbenchAsset(c) {
    const name = c.req.param('name');
    const asset = ASSETS[name];
    if (!asset) return c.notFound();
    let etag = etags.get(name);
    if (!etag) {
      etag = etagOf(asset.body);
      etags.set(name, etag);
    }
    const tag = await etag;
    const headers = {
      'content-type': asset.type,
      etag: tag,
      'cache-control': 'public, max-age=3600, must-revalidate',
      'x-content-type-options': 'nosniff',
    };
    if (c.req.header('if-none-match') === tag) return new Response(null, { status: 304, headers });
    return new Response(c.req.method === 'HEAD' ? null : asset.body, { status: 200, headers });
  });
  return app;
}
