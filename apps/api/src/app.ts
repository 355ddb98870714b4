import type { Database } from '@smarter/data';
import { type HostResolver, isSmarterError, type PeerAddress, problemResponse } from '@smarter/security';
import { Hono } from 'hono';
import type { AppConfig } from './config/config.ts';
import { apiRoutes } from './routes/api.ts';
import { pageRoutes } from './routes/pages.tsx';
import { edgeSecurity } from './security.ts';

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
  for (const [path, middleware] of edgeSecurity(deps)) app.use(path, middleware);

  app.get('/healthz', (c) => {
    c.header('cache-control', 'no-store');
    return c.json({ status: 'ok' });
  });
  app.route('/', pageRoutes());
  app.route('/api/v1', apiRoutes(deps.db));

  app.notFound(function notFound() {
    return problemResponse({ status: 404, code: 'NOT_FOUND', title: 'Not found' });
  });
  app.onError(function onError(error) {
    if (isSmarterError(error) && error.status < 500) {
      return problemResponse({ status: error.status, code: error.code, title: error.message });
    }
    return problemResponse({ status: 500, code: 'INTERNAL', title: 'Internal server error' });
  });
  return app;
}
