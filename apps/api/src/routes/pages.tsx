import type { Hono } from 'hono';
import type { AppServices } from '../services.ts';
import { workbenchRoutes } from '../workbench/routes.tsx';
import { type ServerWorkbenchOptions, serverWorkbenchPorts } from '../workbench/server-ports.ts';

/**
 * Server-rendered pages of the platform host: the workbench (SPEC §21: `GET /` login or dashboard, `POST /login`,
 * `POST /logout`, agents with a chat box, API keys, journal for admins, change password, forgotten passwords and the
 * emailed links' pages `/reset` and `/activate`) over the app's services.
 * CSRF, CSP nonces and the other edge guards come from the security layer mounted before it.
 *
 * @example
 * app.route('/', pageRoutes(services));
 */
export function pageRoutes(services: AppServices, options: ServerWorkbenchOptions = {}): Hono {
  return workbenchRoutes({
    ports: serverWorkbenchPorts(services, options),
    staticUrl: services.config.staticUrl,
    // Without SMARTER_API_DOMAIN agents live under .localhost (see the agent repository's hostnames).
    apiDomain: services.config.apiDomain ?? 'localhost',
    cookieSecure: services.config.cookieSecure,
  });
}
