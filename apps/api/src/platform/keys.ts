import { type ApiKeyRecord, canAccessAccount, requireScopes } from '@smarter/auth';
import { SmarterError } from '@smarter/security';
import { type Context, Hono } from 'hono';
import { durationMs, keyCreateSchema, keyIdParam } from '../openapi/schemas.ts';
import { validate } from '../openapi/validator.ts';
import type { AppEnv, AppServices } from '../services.ts';
import { currentUser, iso, notFoundError, servicesOf } from './context.ts';

/** Scopes of a key created without any: everyday work, not user administration, secrets or the journal. */
export const DEFAULT_KEY_SCOPES: readonly string[] = [
  'agents:read',
  'agents:write',
  'chat',
  'keys:read',
  'keys:write',
  'uploads:read',
  'uploads:write',
];

async function keyView(services: AppServices, key: ApiKeyRecord): Promise<Record<string, unknown>> {
  const agents: string[] = [];
  for (const id of key.agentIds) {
    const agent = await services.repositories.agents.getById(id);
    if (agent) agents.push(agent.name);
  }
  return {
    id: key.id,
    name: key.name,
    description: key.description ?? '',
    scopes: key.scopes,
    lastFour: key.lastFour,
    agents,
    createdAt: iso(key.createdAt),
    expiresAt: iso(key.expiresAt),
    lastUsedAt: iso(key.lastUsedAt),
    active: key.active,
  };
}

/**
 * A key never holds more than its maker: a key-authenticated caller can only pass on scopes it holds itself (a
 * session, or a key with `*`, may grant any). Throws 403 `INSUFFICIENT_SCOPE` otherwise.
 */
function mayGrant(c: Context<AppEnv>, scopes: readonly string[]): void {
  const principal = c.get('principal');
  if (principal?.kind !== 'apiKey' || principal.scopes.includes('*')) return;
  if (scopes.some((s) => !principal.scopes.includes(s))) {
    throw new SmarterError('INSUFFICIENT_SCOPE', 'A key cannot grant scopes it does not hold', { status: 403 });
  }
}

/** `GET|POST /keys`, `DELETE /keys/{id}`, `POST /keys/{id}/rotate` (mount under `/api/v1`). */
export function keyRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/keys', requireScopes('keys:read'), async function listKeys(c) {
    const user = await currentUser(c);
    const services = servicesOf(c);
    const keys = await services.keys.list(user);
    c.header('cache-control', 'no-store');
    return c.json({ keys: await Promise.all(keys.map((k) => keyView(services, k))) });
  });

  app.post('/keys', requireScopes('keys:write'), validate('json', keyCreateSchema), async function createKey(c) {
    const user = await currentUser(c);
    const services = servicesOf(c);
    const body = c.req.valid('json');
    const scopes = body.scopes ?? DEFAULT_KEY_SCOPES;
    mayGrant(c, scopes);
    const agentIds: string[] = [];
    for (const name of body.agents ?? []) {
      const agent = await services.repositories.agents.getByName(user.accountId, name);
      if (!agent) throw new SmarterError('AGENT_NOT_FOUND', 'No agent with this name in the account', { status: 404 });
      agentIds.push(agent.id);
    }
    const issued = await services.keys.issue(user, {
      name: body.name,
      scopes,
      agentIds,
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.expiresIn !== undefined ? { expiresInMs: durationMs(body.expiresIn) } : {}),
    });
    c.header('cache-control', 'no-store');
    return c.json({ ...(await keyView(services, issued.record)), key: issued.token }, 201);
  });

  app.delete('/keys/:id', requireScopes('keys:write'), validate('param', keyIdParam), async function revokeKey(c) {
    const user = await currentUser(c);
    const revoked = await servicesOf(c).keys.revoke(user, c.req.valid('param').id);
    if (!revoked) throw notFoundError();
    return c.body(null, 204);
  });

  app.post('/keys/:id/rotate', requireScopes('keys:write'), validate('param', keyIdParam), async function rotateKey(c) {
    const user = await currentUser(c);
    const services = servicesOf(c);
    const id = c.req.valid('param').id;
    const old = await services.repositories.keys.getById(id);
    // Rotating mints a new token with the old key's scopes: the same rule as creating one, wherever the caller may
    // manage keys (another account's key is answered 404 below, as if it did not exist, unless for a superuser).
    if (old !== undefined && canAccessAccount(user, old.accountId)) mayGrant(c, old.scopes);
    const issued = await services.keys.rotate(user, id);
    if (!issued) throw notFoundError();
    c.header('cache-control', 'no-store');
    return c.json({ ...(await keyView(services, issued.record)), key: issued.token }, 201);
  });

  return app;
}
