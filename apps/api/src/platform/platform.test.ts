import { createHash } from 'node:crypto';
import { generateAccountNumber } from '@smarter/auth';
import { migrate } from '@smarter/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_OPERATIONS } from '../openapi/document.ts';
import { testApp } from '../testing/test-app.ts';

const TOKEN = 'bootstrap-token-for-tests-only-0123456789';
const { app, db, services } = testApp({
  SMARTER_API_DOMAIN: 'api.example.test',
  SMARTER_BOOTSTRAP_TOKEN: TOKEN,
});

function call(path: string, init: RequestInit & { host?: string } = {}) {
  const { host, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (host) headers.set('host', host);
  return app.request(new Request(`http://${host ?? 'localhost'}${path}`, { ...rest, headers }));
}
const json = (body: unknown, extra: Record<string, string> = {}) => ({
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...extra },
});

let key = '';
let hostname = '';

beforeAll(async () => {
  await migrate(db);
});

describe('the OpenAPI document and the routes agree', () => {
  it('routes every documented platform operation (401 without credentials, never 404)', async () => {
    const platform = API_OPERATIONS.filter(
      (op) => op.auth !== 'public' && !['/api/v1/config', '/api/v1/chat'].includes(op.path),
    );
    expect(platform.length).toBeGreaterThan(15);
    for (const op of platform) {
      const path = op.path.replace('{name}', 'helper').replace('{id}', 'abcdefgh12345678');
      // Unsafe methods carry a made-up key (API clients are CSRF-exempt); it must fail authentication, not routing.
      const headers = { 'content-type': 'application/json', authorization: 'Token smk_notarealkey' };
      const init: RequestInit =
        op.method === 'get' ? { method: 'GET' } : { method: op.method.toUpperCase(), headers, body: '{}' };
      const res = await call(path, init);
      expect([op.method, op.path, res.status]).toEqual([op.method, op.path, 401]);
    }
  });
});

describe('platform API end to end (in process)', () => {
  it('bootstraps the first superuser only with the token, once', async () => {
    const body = { email: 'admin@example.test', password: 'a long and unusual passphrase 42' };
    const denied = await call('/api/v1/bootstrap', {
      method: 'POST',
      ...json(body, { authorization: 'Bootstrap wrong-token-0000000000000000000000' }),
    });
    expect(denied.status).toBe(401);
    const created = await call('/api/v1/bootstrap', {
      method: 'POST',
      ...json(body, { authorization: `Bootstrap ${TOKEN}` }),
    });
    expect(created.status).toBe(201);
    // The token proves nothing about the address: an OAuth identity showing it must not count as this user.
    expect(await services.repositories.users.getByEmail(body.email)).toMatchObject({
      role: 'superuser',
      emailVerified: false,
    });
    const again = await call('/api/v1/bootstrap', {
      method: 'POST',
      ...json(body, { authorization: `Bootstrap ${TOKEN}` }),
    });
    expect(again.status).toBe(409);
  });

  it('refuses the platform API without credentials and with a made-up key', async () => {
    expect((await call('/api/v1/me')).status).toBe(401);
    const bad = await call('/api/v1/me', { headers: { authorization: 'Token smk_nope' } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers every 401 alike: no credentials, a stale session cookie, a bad key (one body, one challenge)', async () => {
    // A session that expired: its row is still there, its cookie is well formed.
    const admin = await services.repositories.users.getByEmail('admin@example.test');
    const staleId = 'S'.repeat(43);
    const idHash = createHash('sha256').update(staleId).digest('base64url');
    await services.repositories.sessions.create({
      idHash,
      userId: admin?.id ?? '',
      accountId: admin?.accountId ?? '',
      createdAt: 0,
      lastSeenAt: 0,
      expiresAt: 1,
    });
    const cookie = `${services.sessions.options.cookieName}=${staleId}`;
    const answers = [];
    for (const headers of [
      {},
      { cookie },
      { authorization: 'Token smk_nope' },
      { authorization: 'Bearer x', cookie },
    ]) {
      const res = await call('/api/v1/me', { headers });
      const { requestId, ...body } = (await res.json()) as Record<string, unknown>;
      expect(requestId).toEqual(expect.any(String));
      answers.push({
        status: res.status,
        type: res.headers.get('content-type'),
        challenge: res.headers.get('www-authenticate'),
        cache: res.headers.get('cache-control'),
        body,
      });
    }
    expect(answers[0]).toEqual({
      status: 401,
      type: 'application/problem+json',
      challenge: 'Bearer realm="smarter", Token realm="smarter"',
      cache: 'no-store',
      body: {
        type: 'urn:smarter:problem:unauthenticated',
        title: 'Authentication required',
        status: 401,
        code: 'UNAUTHENTICATED',
      },
    });
    expect(answers.slice(1)).toEqual([answers[0], answers[0], answers[0]]);
    // The cookie was read and found expired (its row is gone), not ignored.
    expect(await services.repositories.sessions.get(idHash)).toBeUndefined();
  });

  it('creates a key through a session-less bootstrap login flow and answers /me with it', async () => {
    // Keys are issued by an authenticated user: seed one through the auth service (as the CLI does).
    const user = await createAppUserKey();
    key = user;
    const me = await call('/api/v1/me', { headers: { authorization: `Token ${key}` } });
    expect(me.status).toBe(200);
    const body = (await me.json()) as { user: { email: string }; auth: string };
    expect(body.user.email).toBe('admin@example.test');
    expect(body.auth).toBe('key');
    expect(me.headers.get('set-cookie')).toBeNull();
  });

  it('creates, deploys and chats with an agent on its own host only', async () => {
    const created = await call('/api/v1/agents', {
      method: 'POST',
      ...json({ name: 'helper' }, { authorization: `Bearer ${key}` }),
    });
    expect(created.status).toBe(201);
    const agent = (await created.json()) as { hostname: string; deployed: boolean; requireKey: boolean };
    hostname = agent.hostname;
    expect(agent.requireKey).toBe(true); // chat needs a key unless the agent is made public on purpose
    expect(hostname).toMatch(/^helper\.\d{4}-\d{4}-\d{4}\.api\.example\.test$/);
    expect(agent.deployed).toBe(false);
    // Not deployed: its host is not accepted at all.
    const before = await call('/api/v1/config', { host: hostname });
    expect(before.status).toBe(400);
    expect(
      (await call('/api/v1/agents/helper/deploy', { method: 'POST', headers: { authorization: `Token ${key}` } }))
        .status,
    ).toBe(200);
    // The agent requires a key (the default): its config page too.
    expect((await call('/api/v1/config', { host: hostname })).status).toBe(401);
    const cfg = await call('/api/v1/config', { host: hostname, headers: { authorization: `Token ${key}` } });
    expect(cfg.status).toBe(200);
    expect(((await cfg.json()) as { agent: { name: string } }).agent.name).toBe('helper');
    const chat = await call('/api/v1/chat', {
      method: 'POST',
      host: hostname,
      ...json({ messages: [{ role: 'user', content: 'hello' }] }, { authorization: `Token ${key}` }),
    });
    expect(chat.status).toBe(200);
    const reply = (await chat.json()) as { choices: Array<{ message: { content: string } }> };
    expect(reply.choices[0]?.message.content).toContain('hello');
    // The platform API does not exist on an agent host, and chat does not exist on the platform host.
    expect((await call('/api/v1/me', { host: hostname, headers: { authorization: `Token ${key}` } })).status).toBe(404);
    expect((await call('/api/v1/config')).status).toBe(404);
    // A sibling name under the API domain is never accepted (no wildcard).
    expect((await call('/api/v1/config', { host: hostname.replace('helper', 'other') })).status).toBe(400);
  });

  it("refuses another account's key on an agent host that requires one", async () => {
    const created = await call('/api/v1/agents', {
      method: 'POST',
      ...json({ name: 'guarded', requireKey: true, deployed: true }, { authorization: `Bearer ${key}` }),
    });
    expect(created.status).toBe(201);
    const host = ((await created.json()) as { hostname: string }).hostname;
    const account = await services.repositories.accounts.create({ number: generateAccountNumber(), name: 'Other' });
    const stranger = await services.repositories.users.create({
      accountId: account.id,
      email: 'stranger@example.test',
      role: 'admin',
      active: true,
      emailVerified: true,
      passwordHash: null,
    });
    const foreign = (await services.keys.issue(stranger, { name: 'theirs', scopes: ['chat'] })).token;
    const chat = (token: string) =>
      call('/api/v1/chat', {
        method: 'POST',
        host,
        ...json({ messages: [{ role: 'user', content: 'hi' }] }, { authorization: `Bearer ${token}` }),
      });
    const refused = await chat(foreign);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await chat(key)).status).toBe(200);
  });

  it('lists keys masked, keeps secrets masked, and revocation is immediate', async () => {
    const list = await call('/api/v1/keys', { headers: { authorization: `Token ${key}` } });
    const text = await list.text();
    expect(list.status).toBe(200);
    expect(text).not.toContain(key);
    const secret = await call('/api/v1/secrets', {
      method: 'POST',
      ...json({ name: 'openai', value: 'sk-very-secret-value' }, { authorization: `Token ${key}` }),
    });
    expect(secret.status).toBe(201);
    const secrets = await (await call('/api/v1/secrets', { headers: { authorization: `Token ${key}` } })).text();
    expect(secrets).toContain('"***"');
    expect(secrets).not.toContain('sk-very-secret-value');
    const second = await call('/api/v1/keys', {
      method: 'POST',
      ...json({ name: 'second', scopes: ['keys:read'] }, { authorization: `Token ${key}` }),
    });
    expect(second.status).toBe(201);
    const issued = (await second.json()) as { id: string; key: string };
    expect((await call('/api/v1/keys', { headers: { authorization: `Token ${issued.key}` } })).status).toBe(200);
    // A key that may write keys cannot mint itself a broader one by rotating a key with more scopes.
    const writer = (await (
      await call('/api/v1/keys', {
        method: 'POST',
        ...json({ name: 'writer', scopes: ['keys:read', 'keys:write'] }, { authorization: `Token ${key}` }),
      })
    ).json()) as { id: string; key: string };
    const first = (
      (await (await call('/api/v1/keys', { headers: { authorization: `Token ${key}` } })).json()) as {
        keys: Array<{ id: string; name: string }>;
      }
    ).keys.find((k) => k.name === 'first');
    const escalate = await call(`/api/v1/keys/${first?.id}/rotate`, {
      method: 'POST',
      headers: { authorization: `Token ${writer.key}` },
    });
    expect(escalate.status).toBe(403);
    const own = await call(`/api/v1/keys/${writer.id}/rotate`, {
      method: 'POST',
      headers: { authorization: `Token ${writer.key}` },
    });
    expect(own.status).toBe(201);
    // A key bound to an agent authenticates only on that agent's host: it cannot reach the key routes to widen itself.
    const bound = (await (
      await call('/api/v1/keys', {
        method: 'POST',
        ...json(
          { name: 'bound', scopes: ['keys:read', 'keys:write'], agents: ['helper'] },
          { authorization: `Token ${key}` },
        ),
      })
    ).json()) as { id: string; key: string };
    const widen = await call(`/api/v1/keys/${writer.id}/rotate`, {
      method: 'POST',
      headers: { authorization: `Token ${bound.key}` },
    });
    expect(widen.status).toBe(401);
    // A superuser's narrow key cannot rotate a broader key of another account into its hands either.
    const stranger = await services.repositories.users.getByEmail('stranger@example.test');
    const broad = await services.keys.issue(stranger as NonNullable<typeof stranger>, { name: 'broad', scopes: ['*'] });
    const across = await call(`/api/v1/keys/${broad.record.id}/rotate`, {
      method: 'POST',
      headers: { authorization: `Token ${writer.key}` },
    });
    expect(across.status).toBe(403);
    expect(
      (await call(`/api/v1/keys/${issued.id}`, { method: 'DELETE', headers: { authorization: `Token ${key}` } }))
        .status,
    ).toBe(204);
    expect((await call('/api/v1/keys', { headers: { authorization: `Token ${issued.key}` } })).status).toBe(401);
  });

  it('uploads a file and queries the journal by type', async () => {
    const form = new FormData();
    form.append('file', new File(['hello knowledge'], 'notes.txt', { type: 'text/plain' }));
    // Serialised first so the request carries a Content-Length, as curl and browsers send it.
    const encoded = new Response(form);
    const bytes = new Uint8Array(await encoded.arrayBuffer());
    const up = await call('/api/v1/uploads', {
      method: 'POST',
      body: bytes,
      headers: {
        authorization: `Token ${key}`,
        'content-type': encoded.headers.get('content-type') ?? '',
        'content-length': String(bytes.byteLength),
      },
    });
    expect(up.status).toBe(201);
    // Served through the whole app, the download keeps its sandbox beside the header layer's own policy.
    const [first] = ((await up.json()) as { uploads: Array<{ id: string }> }).uploads;
    const download = await call(`/api/v1/uploads/${first?.id}`, { headers: { authorization: `Token ${key}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(download.headers.get('content-security-policy')).toContain("default-src 'none'; sandbox");
    // Chunked, as a streaming client sends it: the body limit counts it on the way in, the upload reads those bytes.
    const streamed = await call('/api/v1/uploads', {
      method: 'POST',
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes.slice(0, 10));
          controller.enqueue(bytes.slice(10));
          controller.close();
        },
      }),
      duplex: 'half',
      headers: {
        authorization: `Token ${key}`,
        'content-type': encoded.headers.get('content-type') ?? '',
        'transfer-encoding': 'chunked',
      },
    } as RequestInit);
    expect(streamed.status).toBe(201);
    const refused = await call('/api/v1/uploads', {
      method: 'POST',
      body: 'not multipart',
      headers: { authorization: `Token ${key}`, 'content-type': 'text/plain' },
    });
    expect(((await refused.json()) as { requestId?: string }).requestId).toMatch(/\S/);
    await services.flush();
    const journal = await call('/api/v1/journal?type=agent.created', { headers: { authorization: `Token ${key}` } });
    expect(journal.status).toBe(200);
    const page = (await journal.json()) as { events: Array<{ type: string }> };
    expect(page.events.length).toBeGreaterThan(0);
    expect(page.events.every((e) => e.type === 'agent.created')).toBe(true);
    const bad = await call('/api/v1/journal?type=nope', { headers: { authorization: `Token ${key}` } });
    expect(bad.status).toBe(400);
    // The chain is keyed with the app's secret key, and whole.
    const stored = await services.journalStore?.list({ limit: 1000 });
    expect(stored?.length).toBeGreaterThan(5);
    expect(stored?.every((row) => /^h1:[0-9a-f]{12}:[0-9a-f]{64}$/.test(row.hash))).toBe(true);
    expect(await services.journalStore?.verify()).toMatchObject({ ok: true });
  });
});

async function createAppUserKey(): Promise<string> {
  const user = await services.repositories.users.getByEmail('admin@example.test');
  if (!user) throw new Error('no user');
  const issued = await services.keys.issue(user, { name: 'first', scopes: ['*'] });
  return issued.token;
}
