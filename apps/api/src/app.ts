import type { Database } from '@smarter/data';
import type { HostResolver, PeerAddress } from '@smarter/security';
import { Hono } from 'hono';
import type { AppConfig } from './config/config.ts';
import { openApiRoutes } from './openapi/routes.ts';
import { apiRoutes } from './routes/api.ts';
import { pageRoutes } from './routes/pages.tsx';
import { installSecurity } from './security.ts';
import { workbenchStaticRoutes } from './workbench/static-routes.ts';

export { type AppConfig, isPostgresUrl, loadConfig, type SmarterEnv, sqlitePath } from './config/config.ts';

/** What the app is built from; each runtime entry supplies these. */
export interface AppDeps {
  readonly config: AppConfig;
  readonly db: Database;
  /** The TCP peer address of a request, from the runtime entry (never sniffed). */
  readonly peerAddress?: PeerAddress;
  /** Per-agent hosts (SPEC §5), when the data layer provides them. */
  readonly hostResolver?: HostResolver;
}

/**
 * Builds the reference Smarter app. Identical on every runtime: only the injected dependencies differ.
 *
 * @example
 * const app = createApp({ config: loadConfig(process.env), db: openBetterSqlite('./data/smarter.sqlite3') });
 */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  installSecurity(app, deps);

  app.get('/healthz', (c) => {
    c.header('cache-control', 'no-store');
    return c.json({ status: 'ok' });
  });
  app.route('/', pageRoutes());
  app.route('/api/v1', apiRoutes(deps.db));
  app.route('/api/v1', openApiRoutes({ apiDomain: deps.config.apiDomain }));
  app.route(deps.config.staticUrl.replace(/\/$/, ''), workbenchStaticRoutes());

  return app;
}
