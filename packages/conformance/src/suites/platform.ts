import { request as httpRequest } from 'node:http';
import { expect, it } from 'vitest';
import type { SuiteContext } from '../suite.ts';

/** The test-only bootstrap token every conformance app is started with (SMARTER_ENV=test only). */
export const CONFORMANCE_BOOTSTRAP_TOKEN = 'conformance-bootstrap-token-0123456789abcdef';

interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  json<T>(): T;
}

/**
 * One HTTP request with an explicit Host header (agents answer only on their own hostname). No `Connection: close`:
 * Bun 1.x drops such a connection when the handler awaits a slow hash (seen with scrypt), a Bun quirk.
 */
function send(
  baseUrl: string,
  method: string,
  path: string,
  options: { host?: string; headers?: Record<string, string>; body?: Uint8Array | string } = {},
): Promise<Reply> {
  const url = new URL(baseUrl);
  const body = typeof options.body === 'string' ? new TextEncoder().encode(options.body) : options.body;
  const headers: Record<string, string> = { ...options.headers, host: options.host ?? url.host };
  if (body) headers['content-length'] = String(body.byteLength);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { hostname: url.hostname, port: Number(url.port), method, path, headers, timeout: 10_000 },
      (res) => {
        const chunks: Uint8Array[] = [];
        res.on('data', (chunk: Uint8Array) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

const jsonHeaders = (key?: string): Record<string, string> => ({
  'content-type': 'application/json',
  ...(key ? { authorization: `Token ${key}` } : {}),
});

/**
 * The platform end to end through real HTTP (SPEC §21): bootstrap an admin, create a key, `/me`, create and deploy
 * an agent, chat with it on its own hostname, revoke the key (401 at once), upload a file, query the journal.
 */
export function platformSuite({ app }: SuiteContext): void {
  const email = `admin-${Date.now().toString(36)}@example.test`;
  const state = { bootstrapKey: '', key: '', keyId: '', hostname: '' };

  it('bootstraps the first admin with the test-only token, and refuses a wrong token', async () => {
    const body = JSON.stringify({ email, password: 'a long and unusual passphrase 42' });
    const wrong = await send(app().baseUrl, 'POST', '/api/v1/bootstrap', {
      headers: { ...jsonHeaders(), authorization: 'Bootstrap not-the-token-0000000000000000000' },
      body,
    });
    expect(wrong.status).toBe(401);
    const created = await send(app().baseUrl, 'POST', '/api/v1/bootstrap', {
      headers: { ...jsonHeaders(), authorization: `Bootstrap ${CONFORMANCE_BOOTSTRAP_TOKEN}` },
      body,
    });
    expect(created.status).toBe(201);
    const admin = created.json<{ role: string; key: string }>();
    expect(admin.role).toBe('superuser');
    state.bootstrapKey = admin.key;
    expect(created.text).not.toContain('passphrase');
  });

  it('creates an API key through the API (shown once) and answers /me with it', async () => {
    // The bootstrap answer carries a first key for the new admin (test-only); a real key is created with it.
    const created = await send(app().baseUrl, 'POST', '/api/v1/keys', {
      headers: jsonHeaders(state.bootstrapKey),
      body: JSON.stringify({
        name: 'conformance',
        scopes: [
          'agents:read',
          'agents:write',
          'chat',
          'keys:read',
          'keys:write',
          'uploads:read',
          'uploads:write',
          'journal:read',
        ],
      }),
    });
    expect(created.status).toBe(201);
    const key = created.json<{ id: string; key: string; scopes: string[] }>();
    expect(key.scopes).not.toContain('users:write');
    expect(key.key).toMatch(/^smk_/);
    state.key = key.key;
    state.keyId = key.id;
    const list = await send(app().baseUrl, 'GET', '/api/v1/keys', { headers: jsonHeaders(state.key) });
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(state.key);
    const me = await send(app().baseUrl, 'GET', '/api/v1/me', { headers: jsonHeaders(state.key) });
    expect(me.status).toBe(200);
    expect(me.json<{ user: { email: string }; auth: string }>()).toMatchObject({ user: { email }, auth: 'key' });
    expect(me.headers['set-cookie']).toBeUndefined();
  });

  it('creates and deploys an agent that answers chat on its own hostname only', async () => {
    const created = await send(app().baseUrl, 'POST', '/api/v1/agents', {
      headers: jsonHeaders(state.key),
      body: JSON.stringify({ name: 'helper' }),
    });
    expect(created.status).toBe(201);
    const agent = created.json<{ hostname: string; deployed: boolean }>();
    expect(agent.hostname).toMatch(/^helper\.\d{4}-\d{4}-\d{4}\./);
    expect(agent.deployed).toBe(false);
    state.hostname = agent.hostname;
    // Undeployed: its host is refused outright.
    expect((await send(app().baseUrl, 'GET', '/api/v1/config', { host: state.hostname })).status).toBe(400);
    const deployed = await send(app().baseUrl, 'POST', '/api/v1/agents/helper/deploy', {
      headers: jsonHeaders(state.key),
    });
    expect(deployed.status).toBe(200);
    // The agent requires a key (the default for agents made through the API): its config page too.
    expect((await send(app().baseUrl, 'GET', '/api/v1/config', { host: state.hostname })).status).toBe(401);
    const config = await send(app().baseUrl, 'GET', '/api/v1/config', {
      host: state.hostname,
      headers: jsonHeaders(state.key),
    });
    expect(config.status).toBe(200);
    expect(config.json<{ agent: { name: string } }>().agent.name).toBe('helper');
    const chat = await send(app().baseUrl, 'POST', '/api/v1/chat', {
      host: state.hostname,
      headers: jsonHeaders(state.key),
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hello from conformance' }] }),
    });
    expect(chat.status).toBe(200);
    expect(chat.json<{ choices: Array<{ message: { content: string } }> }>().choices[0]?.message.content).toContain(
      'hello from conformance',
    );
    // The platform API is not on the agent's host; chat is not on the platform host; no sibling host is accepted.
    expect(
      (await send(app().baseUrl, 'GET', '/api/v1/me', { host: state.hostname, headers: jsonHeaders(state.key) }))
        .status,
    ).toBe(404);
    expect((await send(app().baseUrl, 'GET', '/api/v1/config')).status).toBe(404);
    const sibling = state.hostname.replace(/^helper\./, 'other.');
    expect((await send(app().baseUrl, 'GET', '/api/v1/config', { host: sibling })).status).toBe(400);
  });

  it('uploads a knowledge file and serves it back as an attachment', async () => {
    const boundary = 'conformance-boundary-7';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="notes.txt"\r\nContent-Type: text/plain\r\n\r\nagent knowledge\r\n--${boundary}--\r\n`;
    const up = await send(app().baseUrl, 'POST', '/api/v1/uploads', {
      headers: { authorization: `Token ${state.key}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
    });
    expect(up.status).toBe(201);
    const id = up.json<{ uploads: Array<{ id: string }> }>().uploads[0]?.id ?? '';
    const down = await send(app().baseUrl, 'GET', `/api/v1/uploads/${id}`, {
      headers: { authorization: `Token ${state.key}` },
    });
    expect(down.status).toBe(200);
    expect(String(down.headers['content-disposition'])).toMatch(/^attachment/);
    expect(down.text).toBe('agent knowledge');
  });

  it('queries the journal by type', async () => {
    let events: Array<{ type: string }> = [];
    // Journal rows are written off the response path: poll a few times (bounded), never sleep for a TTL.
    for (let attempt = 0; attempt < 20 && events.length === 0; attempt++) {
      const res = await send(app().baseUrl, 'GET', '/api/v1/journal?type=agent.deployed', {
        headers: jsonHeaders(state.key),
      });
      expect(res.status).toBe(200);
      events = res.json<{ events: Array<{ type: string }> }>().events;
      if (events.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.type === 'agent.deployed')).toBe(true);
    const bad = await send(app().baseUrl, 'GET', '/api/v1/journal?type=not-a-type', {
      headers: jsonHeaders(state.key),
    });
    expect(bad.status).toBe(400);
    expect(bad.text).not.toContain('not-a-type');
  });

  it('revokes the key: the next request with it is 401 at once', async () => {
    const revoked = await send(app().baseUrl, 'DELETE', `/api/v1/keys/${state.keyId}`, {
      headers: jsonHeaders(state.key),
    });
    expect(revoked.status).toBe(204);
    const after = await send(app().baseUrl, 'GET', '/api/v1/me', { headers: jsonHeaders(state.key) });
    expect(after.status).toBe(401);
    expect(after.headers['www-authenticate']).toContain('Token');
    const chat = await send(app().baseUrl, 'GET', '/api/v1/me', { headers: jsonHeaders(state.key) });
    expect(chat.status).toBe(401);
  });

  it('signs in through the workbench form with a session cookie, and signs out server-side', async () => {
    const base = app().baseUrl;
    const origin = new URL(base).origin;
    const jar = new Map<string, string>();
    const keep = (reply: Reply): string[] => {
      const lines = ([] as string[]).concat(reply.headers['set-cookie'] ?? []);
      for (const line of lines) {
        const [pair = ''] = line.split(';');
        const at = pair.indexOf('=');
        const value = pair.slice(at + 1).trim();
        if (value === '' || /max-age=0/i.test(line)) jar.delete(pair.slice(0, at).trim());
        else jar.set(pair.slice(0, at).trim(), value);
      }
      return lines;
    };
    const cookies = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const page = async (path: string) => {
      const reply = await send(base, 'GET', path, { headers: jar.size ? { cookie: cookies() } : {} });
      keep(reply);
      return { reply, token: /name="csrf-token" content="([\w-]+)"/.exec(reply.text)?.[1] ?? '' };
    };
    const post = async (path: string, fields: Record<string, string>, token: string) => {
      const reply = await send(base, 'POST', path, {
        headers: { origin, cookie: cookies(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...fields, csrfmiddlewaretoken: token }).toString(),
      });
      return { reply, cookies: keep(reply) };
    };

    const signedOut = await page('/');
    const wrong = await post('/login', { email, password: 'not the password at all' }, signedOut.token);
    expect(wrong.reply.status).toBe(401);
    const login = await post('/login', { email, password: 'a long and unusual passphrase 42' }, signedOut.token);
    expect(login.reply.status).toBe(303);
    const session = login.cookies.find((line) => /^[^=]*session=/.test(line)) ?? '';
    expect(session).toMatch(/; HttpOnly/i);
    expect(session).toMatch(/; SameSite=Lax/i);
    expect(session).toMatch(/; Path=\//i);
    expect(session).not.toContain('a long and unusual');
    const signedIn = await page('/keys');
    expect(signedIn.reply.status).toBe(200);
    const saved = cookies();
    const logout = await post('/logout', {}, signedIn.token);
    expect(logout.reply.status).toBe(303);
    // The session is gone on the server: the old cookie, replayed, is signed out.
    const replay = await send(base, 'GET', '/keys', { headers: { cookie: saved } });
    expect(replay.status).toBe(303);
    expect(replay.headers.location).toBe('/?next=%2Fkeys');
  });

  it('offers a password reset by email, and keeps an emailed token out of the next URL (SPEC §14)', async () => {
    const base = app().baseUrl;
    const login = await send(base, 'GET', '/');
    expect(login.text).toContain('href="/password-reset"');
    const page = await send(base, 'GET', '/password-reset');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<form method="post" action="/password-reset"');
    expect(page.text).toContain('name="email"');
    expect(page.text).toMatch(/name="csrfmiddlewaretoken" value="[\w-]+"/);
    // The link's GET moves its token to a path-scoped cookie and redirects to the bare path, with no-referrer.
    const token = 'dTE.mx2azw7r.k1.bm90LWEtcmVhbC1tYWM';
    const link = await send(base, 'GET', `/reset?token=${token}`);
    expect(link.status).toBe(303);
    expect(link.headers.location).toBe('/reset');
    expect(link.headers['referrer-policy']).toBe('no-referrer');
    expect(String(link.headers['set-cookie'])).toMatch(/smarter_reset_link=.*; Path=\/reset; HttpOnly; SameSite=Lax/);
    // A made-up token is refused on the page, as any expired or used one.
    const refused = await send(base, 'GET', '/reset', { headers: { cookie: `smarter_reset_link=${token}` } });
    expect(refused.status).toBe(400);
    expect(refused.text).not.toContain(token);
  });

  it('answers every 401 alike: no credentials, a stale session cookie, a revoked or made-up key (SPEC §12)', async () => {
    // A well-formed session id the server does not know, under both cookie names (secure or plain-http config).
    const stale = 'S'.repeat(43);
    const answers = [];
    for (const headers of [
      {},
      { cookie: `__Host-smarter_session=${stale}; smarter_session=${stale}` },
      { authorization: `Token ${state.key}` },
      { authorization: 'Bearer smk_made_up' },
    ]) {
      const res = await send(app().baseUrl, 'GET', '/api/v1/me', { headers });
      const { requestId, ...body } = res.json<Record<string, unknown>>();
      expect(typeof requestId).toBe('string');
      answers.push({
        status: res.status,
        type: res.headers['content-type'],
        challenge: res.headers['www-authenticate'],
        cache: res.headers['cache-control'],
        body,
      });
    }
    expect(answers[0]).toMatchObject({
      status: 401,
      type: 'application/problem+json',
      challenge: 'Bearer realm="smarter", Token realm="smarter"',
      body: { status: 401, code: 'UNAUTHENTICATED' },
    });
    expect(answers.slice(1)).toEqual([answers[0], answers[0], answers[0]]);
  });

  it('caps the users an account adds (SMARTER_INVITE_LIMIT, 20 an hour by default), with a 429 problem', async () => {
    const add = (i: number) =>
      send(app().baseUrl, 'POST', '/api/v1/users', {
        headers: jsonHeaders(state.bootstrapKey),
        body: JSON.stringify({ email: `invited-${i}-${Date.now().toString(36)}@example.test` }),
      });
    for (let i = 0; i < 20; i++) expect((await add(i)).status).toBe(201);
    const refused = await add(20);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.headers['ratelimit-policy']).toBe('"invitations";q=20;w=3600');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3000);
  });
}
