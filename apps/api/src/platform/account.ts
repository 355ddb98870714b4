import { canAdministerAccount, requireScopes, type UserRecord } from '@smarter/auth';
import { rateLimit } from '@smarter/security';
import { Hono, type MiddlewareHandler } from 'hono';
import { userCreateSchema } from '../openapi/schemas.ts';
import { validate } from '../openapi/validator.ts';
import { type AppEnv, type AppServices, principalOf } from '../services.ts';
import { currentUser, forbiddenError, iso, notFoundError, servicesOf } from './context.ts';
import { emailPasswordSetup } from './invitation.ts';

function userView(user: UserRecord): Record<string, unknown> {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    active: user.active,
    createdAt: iso(user.createdAt),
    lastLoginAt: iso(user.lastLoginAt),
  };
}

/**
 * `SMARTER_INVITE_LIMIT` on `POST /users`, counted per account (whichever admin asks): each attempt may email an
 * invitation and tells whether an address is taken (addresses are unique across accounts), so neither mail nor
 * address probing runs at the API's pace. A member, refused anyway, is counted apart and eats no admin's allowance.
 */
function invitationLimit(services: AppServices): MiddlewareHandler {
  const limit = services.config.inviteLimit;
  if (!limit) {
    return async function noInvitationLimit(_c, next) {
      await next();
    };
  }
  return rateLimit({
    name: 'invitations',
    ...limit,
    store: services.store,
    now: services.now,
    journal: services.journal,
    key(c) {
      const principal = principalOf(c);
      if (!principal) return undefined;
      return principal.role === 'member' ? `user:${principal.userId}` : `account:${principal.accountId}`;
    },
  }) as MiddlewareHandler;
}

/**
 * `GET /me` and the account's users, `GET|POST /users` (admins; mount under `/api/v1`). A created user is emailed a
 * link to choose their password; the answer's `invitation` says whether it went out.
 */
export function accountRoutes(services: AppServices): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const invitations = invitationLimit(services);

  app.get('/me', async function me(c) {
    const user = await currentUser(c);
    const account = await servicesOf(c).repositories.accounts.getById(user.accountId);
    if (!account) throw notFoundError();
    const principal = c.get('principal');
    c.header('cache-control', 'no-store');
    return c.json({
      user: { id: user.id, email: user.email, role: user.role },
      account: { id: account.id, number: account.number, name: account.name },
      auth: principal?.kind === 'apiKey' ? 'key' : 'session',
      scopes: principal?.kind === 'apiKey' ? principal.scopes : [],
    });
  });

  app.get('/users', requireScopes('users:read'), async function listUsers(c) {
    const user = await currentUser(c);
    if (!canAdministerAccount(user, user.accountId)) throw forbiddenError();
    const users = await servicesOf(c).accounts.listUsers(user, user.accountId);
    c.header('cache-control', 'no-store');
    return c.json({ users: users.map(userView) });
  });

  app.post(
    '/users',
    requireScopes('users:write'),
    invitations,
    validate('json', userCreateSchema),
    async function createUser(c) {
      const user = await currentUser(c);
      if (!canAdministerAccount(user, user.accountId)) throw forbiddenError();
      const body = c.req.valid('json');
      const services = servicesOf(c);
      const account = await services.repositories.accounts.getById(user.accountId);
      if (!account) throw notFoundError();
      // No password is chosen for the new user: they get an emailed link to choose their own (activation).
      const created = await services.accounts.createUser(user, {
        accountId: user.accountId,
        email: body.email,
        role: body.role ?? 'member',
      });
      const invitation = await emailPasswordSetup(services, created, { account, invitedBy: user.email });
      c.header('cache-control', 'no-store');
      return c.json({ ...userView(created), invitation }, 201);
    },
  );

  return app;
}
