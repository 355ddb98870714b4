// Portable checks of @smarter/auth, run unchanged on Node, Bun, Deno (through portable.test.js) and workerd (through
// worker.js). They import the BUILT package (dist), as an application would. Plain JavaScript so every runtime loads
// it without a TypeScript step.
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import {
  apiKeyAuth,
  createApiKeyService,
  createPasswordHasher,
  createSessionManager,
  createSigner,
  parseKeyRing,
  sessionAuth,
  sessionIdentity,
} from '../dist/index.js';
import { memoryAuthRepositories, memoryTestStore } from '../dist/testing/index.js';

const RING = 'k1:4f1c9a7e2b8d6053f1e9c7a5b3d1f0e2';

/**
 * The checks, as [name, fn] pairs. `engine` is the runtime's password engine; `timings` receives the hash time.
 * @param {import('../dist/index.js').PasswordEngine} engine
 * @param {{ hashMs?: number }} timings
 */
export function portableChecks(engine, timings) {
  return [
    [
      'password hash and verify with the runtime engine',
      async () => {
        const hasher = createPasswordHasher({ engine });
        const started = performance.now();
        const hash = await hasher.hash('correct horse battery staple');
        timings.hashMs = performance.now() - started;
        assert.match(hash, new RegExp(`^\\$${engine.algorithm}\\$`));
        assert.deepEqual(await hasher.verify('correct horse battery staple', hash), { ok: true, needsRehash: false });
        assert.deepEqual(await hasher.verify('wrong horse battery staple', hash), { ok: false, needsRehash: false });
      },
    ],
    [
      'API key issue, verify over HTTP, revoke',
      async () => {
        const repositories = memoryAuthRepositories();
        const store = memoryTestStore();
        const keyRing = parseKeyRing(RING);
        const service = createApiKeyService({ repositories, store, keyRing });
        const account = await repositories.accounts.create({ number: '1234-5678-9012', name: 'a' });
        const user = await repositories.users.create({
          accountId: account.id,
          email: 'a@example.com',
          role: 'member',
          active: true,
          emailVerified: true,
          passwordHash: null,
        });
        const { token, record } = await service.issue(user, { name: 'k' });
        const app = new Hono();
        app.use('*', apiKeyAuth({ service }));
        app.get('/me', (c) => c.json({ user: c.get('principal').userId }));
        const ok = await app.request('https://api.test/me', { headers: { authorization: `Token ${token}` } });
        assert.equal(ok.status, 200);
        assert.deepEqual(await ok.json(), { user: user.id });
        assert.equal(ok.headers.get('set-cookie'), null);
        const bearer = await app.request('https://api.test/me', { headers: { authorization: `bearer ${token}` } });
        assert.equal(bearer.status, 200);
        assert.equal(await service.revoke(user, record.id), true);
        const revoked = await app.request('https://api.test/me', { headers: { authorization: `Token ${token}` } });
        assert.equal(revoked.status, 401);
        assert.equal(revoked.headers.get('content-type'), 'application/problem+json');
        assert.match(revoked.headers.get('www-authenticate') ?? '', /^Bearer realm=/);
      },
    ],
    [
      'session login, cookie, logout; signed cookie values',
      async () => {
        const repositories = memoryAuthRepositories();
        const sessions = createSessionManager({ repositories });
        const account = await repositories.accounts.create({ number: '1234-5678-9013', name: 'a' });
        const user = await repositories.users.create({
          accountId: account.id,
          email: 's@example.com',
          role: 'member',
          active: true,
          emailVerified: true,
          passwordHash: null,
        });
        const app = new Hono();
        app.post('/login', async (c) => {
          await sessions.login(c, user);
          return c.json({ ok: true });
        });
        app.post('/logout', async (c) => {
          await sessions.logout(c);
          return c.json({ ok: true });
        });
        app.get('/me', sessionAuth({ sessions }), (c) => c.json({ csrf: sessionIdentity(c) }));
        const login = await app.request('https://app.test/login', { method: 'POST' });
        const setCookie = login.headers.get('set-cookie') ?? '';
        assert.match(setCookie, /^__Host-smarter_session=[A-Za-z0-9_-]{43}; .*HttpOnly; SameSite=Lax; Secure$/);
        const cookie = setCookie.split(';')[0];
        const me = await app.request('https://app.test/me', { headers: { cookie } });
        assert.equal(me.status, 200);
        assert.match((await me.json()).csrf, /^[A-Za-z0-9_-]{43}$/);
        await app.request('https://app.test/logout', { method: 'POST', headers: { cookie } });
        assert.equal((await app.request('https://app.test/me', { headers: { cookie } })).status, 401);

        const signer = createSigner(parseKeyRing(RING), 'cookie');
        const signed = await signer.sign('state-value');
        assert.equal(await signer.verify(signed), 'state-value');
        assert.equal(await signer.verify(`${signed.slice(0, -2)}xx`), undefined);
      },
    ],
  ];
}
