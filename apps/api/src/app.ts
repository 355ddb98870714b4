import type { Database } from '@smarter/data';
import type { HostResolver, PeerAddress } from '@smarter/security';
import { Hono } from 'hono';
import { agentHostGate, csrfSession } from './agent-host.ts';
import type { AppConfig } from './config/config.ts';
import { openApiRoutes } from './openapi/routes.ts';
import { agentChatRoutes, bootstrapRoutes, platformRoutes } from './platform/index.ts';
import { apiRoutes } from './routes/api.ts';
import { pageRoutes } from './routes/pages.tsx';
import { installSecurity } from './security.ts';
import {
  type AppEnv,
  type AppServices,
  buildServices,
  isCredentialed,
  provideServices,
  type ServiceOverrides,
} from './services.ts';
import { workbenchStaticRoutes } from './workbench/static-routes.ts';

export { type AppConfig, isPostgresUrl, loadConfig, type SmarterEnv, sqlitePath } from './config/config.ts';

/** What the app is built from; each runtime entry supplies these. */
export interface AppDeps extends ServiceOverrides {
  readonly config: AppConfig;
  readonly db: Database;
  /** The TCP peer address of a request, from the runtime entry (never sniffed). */
  readonly peerAddress?: PeerAddress;
  /** Per-agent hosts (SPEC §5). @default the services' agentHostResolver over `db` */
  readonly hostResolver?: HostResolver;
  /** Routes serving `SMARTER_STATIC_ROOT` under `SMARTER_STATIC_URL` (from the Node, Bun and Deno entries). */
  readonly staticRoot?: Hono;
  /** Prebuilt services (the entry built them to journal the start); built from the deps when absent. */
  readonly services?: AppServices;
}

/**
 * Builds the reference Smarter app. Identical on every runtime: only the injected dependencies differ.
 *
 * @example
 * const app = createApp({ config: loadConfig(process.env), db: openBetterSqlite('./data/smarter.sqlite3') });
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const services = deps.services ?? buildServices(deps);
  const app = new Hono<AppEnv>();
  installSecurity(app as unknown as Hono, deps, {
    store: services.store,
    journal: services.journal,
    agents: services.hosts,
    session: csrfSession(services),
    isCredentialed,
  });
  app.use('*', provideServices(services));
  app.use('*', agentHostGate());

  app.get('/healthz', (c) => {
    c.header('cache-control', 'no-store');
    return c.json({ status: 'ok' });
  });
  app.route('/', pageRoutes(services));
  app.route('/api/v1', agentChatRoutes(services));
  app.route('/api/v1', apiRoutes(deps.db));
  app.route('/api/v1', bootstrapRoutes(services));
  app.route('/api/v1', platformRoutes(services));
  app.route('/api/v1', openApiRoutes({ apiDomain: deps.config.apiDomain }));
  const staticPrefix = deps.config.staticUrl.replace(/\/$/, '');
  // The operator's static root first (it falls through when a file is missing), then the workbench's own assets.
  if (deps.staticRoot) app.route(staticPrefix, deps.staticRoot);
  app.route(staticPrefix, workbenchStaticRoutes());

  return app;
}
