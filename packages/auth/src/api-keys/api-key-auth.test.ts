import { clientIdentity } from '@smarter/security';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AuthVariables } from '../principal/principal.ts';
import { seedUser, world } from '../testing-node/fixtures.ts';
import { apiKeyAuth, resolveApiKeyAuthOptions } from './api-key-auth.ts';
import { createApiKeyService } from './api-key-service.ts';
import { requireScopes } from './require-scopes.ts';

async function setup(rateLimit?: number) {
  const w = world();
  const service = createApiKeyService({ repositories: w.repos, store: w.store, keyRing: w.ring, now: w.clock.now });
  const { user } = await seedUser(w.repos, 'owner@example.com');
  const ran: string[] = [];
  const app = new Hono<{ Variables: AuthVariables }>();
  // Who the client is, for the journal: the loopback peer, or the address a test forwards.
  app.use(clientIdentity({ trustedProxies: ['loopback'], peerAddress: () => '127.0.0.1' }));
  app.use(
    '/api/*',
    apiKeyAuth({
      service,
      journal: w.journal,
      now: w.clock.now,
      ...(rateLimit ? { rateLimit: { limit: rateLimit, store: w.store, now: w.clock.now } } : {}),
    }),
  );
  app.get('/api/me', (c) => {
    ran.push('me');
    return c.json({ user: c.get('principal')?.userId, kind: c.get('principal')?.kind });
  });
  app.get('/api/cookie', (c) => {
    c.header('set-cookie', 'sessionid=abc; Path=/');
    return c.json({ ok: true });
  });
  app.get('/api/agents', requireScopes('agents:read'), (c) => {
    ran.push('agents');
    return c.json([]);
  });
  app.delete('/api/agents', requireScopes('agents:write'), (c) => {
    ran.push('delete');
    return c.json({});
  });
  return { ...w, service, user, app, ran };
}

const get = (app: Hono<{ Variables: AuthVariables }>, path: string, authorization?: string, method = 'GET') =>
  app.request(`https://api.test${path}`, { method, headers: authorization ? { authorization } : {} });

describe('resolveApiKeyAuthOptions', () => {
  it('refuses misspelled options and bad limits', () => {
    const service = {} as never;
    expect(() => resolveApiKeyAuthOptions({ service, ratelimit: {} } as never)).toThrow(/ratelimit.*rateLimit/);
    expect(() => resolveApiKeyAuthOptions({ service, rateLimit: { limit: 0, store: {} as never } })).toThrow(/limit/);
    expect(resolveApiKeyAuthOptions({ service }).challenge).toBe('Bearer realm="smarter", Token realm="smarter"');
  });
});

describe('apiKeyAuth', () => {
  it("refuses another account's key on an agent host the host guard resolved (the default account check)", async () => {
    const w = world();
    const service = createApiKeyService({ repositories: w.repos, store: w.store, keyRing: w.ring, now: w.clock.now });
    const a = await seedUser(w.repos, 'a@example.com');
    const b = await seedUser(w.repos, 'b@example.com');
    const app = new Hono<{ Variables: AuthVariables }>();
    app.use('*', async (c, next) => {
      const resolution = { kind: 'agent', agentId: 'agent-a', agentName: 'a', accountId: a.account.id };
      c.set('hostResolution' as never, resolution as never);
      await next();
    });
    app.use('*', apiKeyAuth({ service, journal: w.journal }));
    app.post('/chat', (c) => c.json({ user: c.get('principal')?.userId }));
    const chat = async (token: string) =>
      app.request('https://a.agents.test/chat', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect((await chat((await service.issue(a.user, { name: 'own' })).token)).status).toBe(200);
    const foreign = await chat((await service.issue(b.user, { name: 'foreign' })).token);
    expect(foreign.status).toBe(401);
    expect(w.sink.events.at(-1)).toMatchObject({ type: 'auth.failed', reason: 'ACCOUNT_MISMATCH' });
  });

  it('accepts Token and Bearer, case-insensitively', async () => {
    const { app, service, user } = await setup();
    const { token } = await service.issue(user, { name: 'k' });
    for (const scheme of ['Token', 'Bearer', 'token', 'BEARER', 'tOkEn']) {
      const res = await get(app, '/api/me', `${scheme} ${token}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ user: user.id, kind: 'apiKey' });
    }
  });

  it("journals a key's first use from each client, then one use per client every journalUseEveryMs", async () => {
    const { app, service, user, sink, clock } = await setup();
    const { token, record } = await service.issue(user, { name: 'k' });
    const succeeded = () => sink.events.filter((e) => e.type === 'auth.succeeded');
    const from = (ip: string) =>
      app.request('https://api.test/api/me', { headers: { authorization: `Token ${token}`, 'x-forwarded-for': ip } });
    for (let i = 0; i < 5; i++) expect((await get(app, '/api/me', `Token ${token}`)).status).toBe(200);
    expect(succeeded()).toHaveLength(1);
    expect(succeeded()[0]).toMatchObject({ principal: record.id, account: user.accountId, method: 'GET' });
    expect(JSON.stringify(succeeded())).not.toContain(token.slice(0, -4));
    // The same key from another client shows at once (a stolen key used elsewhere is not hidden by the first).
    clock.advance(1_000);
    expect((await from('203.0.113.50')).status).toBe(200);
    expect(succeeded()).toHaveLength(2);
    // Five minutes after its last entry (the default), a client's next use is journaled again.
    clock.advance(298_999);
    expect((await get(app, '/api/me', `Token ${token}`)).status).toBe(200);
    expect(succeeded()).toHaveLength(2);
    clock.advance(1);
    expect((await get(app, '/api/me', `Token ${token}`)).status).toBe(200);
    expect(succeeded()).toHaveLength(3);
  });

  it('answers one uniform 401 problem+json with WWW-Authenticate for every failure, and the handler never runs', async () => {
    const { app, service, user, repos, ran, sink } = await setup();
    const { token, record } = await service.issue(user, { name: 'k' });
    await repos.keys.revoke(record.id, 0);
    const bodies = new Set<string>();
    for (const auth of [
      undefined,
      'Basic abc',
      `Token ${token}`,
      'Token smk_bad',
      `Token ${token.slice(0, -1)}x`,
      'Token',
    ]) {
      const res = await get(app, '/api/me', auth);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="smarter", Token realm="smarter"');
      expect(res.headers.get('set-cookie')).toBeNull();
      bodies.add(await res.text());
    }
    expect(bodies.size).toBe(1);
    expect([...bodies][0]).not.toContain(token.slice(-10));
    expect(ran).toEqual([]);
    const failed = sink.events.filter((e) => e.type === 'auth.failed');
    expect(failed.map((e) => e.reason)).toContain('REVOKED');
    expect(failed.find((e) => e.reason === 'REVOKED')?.details).toEqual({ key: `****${token.slice(-4)}` });
    expect(JSON.stringify(sink.events)).not.toContain(token);
  });

  it('never sets a cookie on a key-authenticated response', async () => {
    const { app, service, user } = await setup();
    const { token } = await service.issue(user, { name: 'k' });
    const res = await get(app, '/api/cookie', `Token ${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.json()).toEqual({ ok: true });
  });

  it('checks scopes per route: 403 INSUFFICIENT_SCOPE without running the handler', async () => {
    const { app, service, user, ran } = await setup();
    const { token } = await service.issue(user, { name: 'k', scopes: ['agents:read'] });
    expect((await get(app, '/api/agents', `Token ${token}`)).status).toBe(200);
    const denied = await get(app, '/api/agents', `Token ${token}`, 'DELETE');
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { code: string }).code).toBe('INSUFFICIENT_SCOPE');
    expect(denied.headers.get('www-authenticate')).toContain('insufficient_scope');
    expect(ran).toEqual(['agents']);
    const star = await service.issue(user, { name: 'all', scopes: ['*'] });
    expect((await get(app, '/api/agents', `Token ${star.token}`, 'DELETE')).status).toBe(200);
    expect(() => requireScopes()).toThrow(/at least one/);
    expect(() => requireScopes('Bad Scope')).toThrow(/not valid/);
  });

  it('applies an optional per-key rate limit with RateLimit headers', async () => {
    const { app, service, user } = await setup(2);
    const { token } = await service.issue(user, { name: 'k' });
    const first = await get(app, '/api/me', `Token ${token}`);
    expect(first.headers.get('ratelimit')).toBe('"key";r=1;t=60');
    expect((await get(app, '/api/me', `Token ${token}`)).status).toBe(200);
    const limited = await get(app, '/api/me', `Token ${token}`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(limited.headers.get('ratelimit-policy')).toBe('"key";q=2;w=60');
    expect(limited.headers.get('ratelimit')).toBe('"key";r=0;t=60');
    const another = await service.issue(user, { name: 'other' });
    expect((await get(app, '/api/me', `Token ${another.token}`)).status).toBe(200);
  });

  it("journals a key's refusals past its limit as the first in a window and every 100th after it", async () => {
    const { app, service, user, sink } = await setup(2);
    const { token } = await service.issue(user, { name: 'k' });
    for (let i = 0; i < 105; i++) await get(app, '/api/me', `Token ${token}`);
    const refused = sink.events.filter((e) => e.type === 'ratelimit.exceeded');
    expect(refused.map((e) => e.details?.['count'])).toEqual([3, 103]);
  });

  it('journals every use of a key by a client nobody could identify (never taken for one seen before)', async () => {
    const w = world();
    const service = createApiKeyService({ repositories: w.repos, store: w.store, keyRing: w.ring, now: w.clock.now });
    const { user } = await seedUser(w.repos, 'anon@example.com');
    const app = new Hono<{ Variables: AuthVariables }>();
    app.use('*', apiKeyAuth({ service, journal: w.journal, now: w.clock.now }));
    app.get('/me', (c) => c.json({ ok: true }));
    const { token } = await service.issue(user, { name: 'k' });
    for (let i = 0; i < 3; i++) {
      expect((await app.request('https://api.test/me', { headers: { authorization: `Token ${token}` } })).status).toBe(
        200,
      );
    }
    expect(w.sink.events.filter((e) => e.type === 'auth.succeeded')).toHaveLength(3);
  });

  it('fails closed with 503 when the store is down, and the handler never runs', async () => {
    const { app, service, user, store, ran } = await setup();
    const { token } = await service.issue(user, { name: 'k' });
    store.failing = true;
    const res = await get(app, '/api/me', `Token ${token}`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe('AUTH_UNAVAILABLE');
    expect(ran).toEqual([]);
  });
});
