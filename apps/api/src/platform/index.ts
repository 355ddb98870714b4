import { requireScopes } from '@smarter/auth';
import { Hono } from 'hono';
import type { AppVariables } from '../services.ts';
import { type AppEnv, type AppServices, authenticate } from '../services.ts';
import { resolveUploadOptions } from '../uploads/policy.ts';
import { uploadRoutes } from '../uploads/routes.ts';
import { accountRoutes } from './account.ts';
import { agentRoutes } from './agents.ts';
import { journalRoutes } from './journal.ts';
import { keyRoutes } from './keys.ts';
import { secretRoutes } from './secrets.ts';

export { agentChatRoutes } from './agent-chat.ts';
export { bootstrapRoutes } from './bootstrap.ts';

/**
 * The authenticated platform API (SPEC §21; mount under `/api/v1` on the platform host): me, users, keys, agents,
 * secrets, uploads, journal. Every route takes an API key or a session; scopes bind keys, roles bind everyone.
 */
export function platformRoutes(services: AppServices): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const auth = authenticate(services);
  for (const path of [
    '/me',
    '/users',
    '/keys',
    '/keys/*',
    '/agents',
    '/agents/*',
    '/secrets',
    '/journal',
    '/uploads',
    '/uploads/*',
  ]) {
    app.use(path, auth);
  }
  app.route('/', accountRoutes(services));
  app.route('/', keyRoutes());
  app.route('/', agentRoutes());
  app.route('/', secretRoutes());
  app.route('/', journalRoutes());

  const uploads = new Hono<AppEnv>();
  uploads.on('POST', '/', requireScopes('uploads:write'));
  uploads.on('GET', ['/', '/*'], requireScopes('uploads:read'));
  uploads.route(
    '/',
    uploadRoutes({
      policy: resolveUploadOptions({ maxFileBytes: services.config.uploads.maxFileBytes }),
      storage: services.uploadStorage,
      repository: services.repositories.uploads,
      scanner: services.scanner,
      journal: services.journal,
      contextOf(c) {
        const vars = c.var as AppVariables;
        const principal = vars.principal;
        if (!principal) return undefined;
        return {
          accountId: principal.accountId,
          ownerId: principal.userId,
          readsAccount: principal.role !== 'member',
          principal: principal.kind === 'apiKey' ? principal.keyId : principal.userId,
          requestId: vars.requestId,
        };
      },
    }),
  );
  app.route('/uploads', uploads);
  return app;
}
