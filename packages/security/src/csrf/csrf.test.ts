import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { createJournal, memorySink } from '../journal/journal.ts';
import { csrf, csrfToken, resolveCsrfOptions, rotateCsrfToken } from './csrf.ts';
import { csrfTokens } from './token.ts';

const KEY = 'k'.repeat(32);
const OLD_KEY = 'o'.repeat(32);
const SELF = 'http://localhost';

function setup(options: Partial<Parameters<typeof csrf>[0]> = {}) {
  const sink = memorySink();
  const journal = createJournal({ sinks: [sink] });
  const seen: string[] = [];
  const app = new Hono();
  app.use(
    csrf({
      keys: [KEY, OLD_KEY],
      journal,
      session: (c) => c.req.header('x-test-session'),
      ...options,
    }),
  );
  app.get('/form', async (c) => c.json({ token: await csrfToken(c) }));
  app.post('/login', async (c) => c.json({ token: await rotateCsrfToken(c, 'session-2') }));
  app.post('/submit', async (c) => {
    const type = c.req.header('content-type') ?? '';
    seen.push(type.startsWith('application/json') ? JSON.stringify(await c.req.json()) : type);
    return c.json({ ok: true });
  });
  return { app, sink, seen };
}

async function tokenAndCookie(app: Hono, session?: string) {
  const res = await app.request('/form', { headers: session ? { 'x-test-session': session } : {} });
  const setCookie = res.headers.get('set-cookie') ?? '';
  const { token } = (await res.json()) as { token: string };
  return { token, cookie: setCookie.split(';')[0] as string, setCookie };
}

async function reason(res: Response) {
  expect(res.status).toBe(403);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const body = (await res.json()) as { code: string; reason: string };
  expect(body.code).toBe('CSRF_FAILED');
  return body.reason;
}

describe('resolveCsrfOptions', () => {
  it('needs keys of at least 32 bytes and names options it does not know', () => {
    expect(() => resolveCsrfOptions({ keys: [] })).toThrow(SmarterConfigError);
    expect(() => resolveCsrfOptions({ keys: ['short'] })).toThrow(/32 bytes/);
    expect(() => resolveCsrfOptions({ keys: [KEY], trustedOrigins: [] } as never)).toThrow(/unknown option/);
    expect(() => resolveCsrfOptions({ keys: [KEY], headerName: 'x token' })).toThrow(/plain token/);
  });
});

describe('csrf tokens', () => {
  it('masks differently every time but every mask matches the one secret (multi-tab safe)', async () => {
    const t = csrfTokens([KEY]);
    const { cookie, secret } = await t.issue('s1');
    const a = t.mask(secret);
    const b = t.mask(secret);
    expect(a).not.toBe(b);
    expect(t.matches(a, secret)).toBe(true);
    expect(t.matches(b, secret)).toBe(true);
    expect(await t.open(cookie, 's1')).toEqual(secret);
    expect(await t.open(cookie, 's2')).toBeUndefined();
    expect(await t.open(`${cookie}x`, 's1')).toBeUndefined();
    const other = await t.issue('s1');
    expect(t.matches(t.mask(other.secret), secret)).toBe(false);
  });

  it('verifies cookies signed with an older key of the ring', async () => {
    const { cookie } = await csrfTokens([OLD_KEY]).issue('');
    expect(await csrfTokens([KEY, OLD_KEY]).open(cookie, '')).toBeDefined();
    expect(await csrfTokens([KEY]).open(cookie, '')).toBeUndefined();
  });
});

describe('csrf', () => {
  it('sets an HttpOnly SameSite cookie with the token and accepts the header, urlencoded and multipart forms, and JSON', async () => {
    const { app, seen } = setup();
    const { token, cookie, setCookie } = await tokenAndCookie(app);
    expect(setCookie).toMatch(/^csrftoken=[\w-]+\.[\w-]+; Path=\/; HttpOnly; SameSite=Lax$/);
    const base = { origin: SELF, cookie };
    const json = await app.request('/submit', {
      method: 'POST',
      headers: { ...base, 'content-type': 'application/json', 'x-csrftoken': token },
      body: '{"a":1}',
    });
    expect(json.status).toBe(200);
    const form = await app.request('/submit', {
      method: 'POST',
      headers: { ...base, 'content-type': 'application/x-www-form-urlencoded' },
      body: `csrfmiddlewaretoken=${token}&x=1`,
    });
    expect(form.status).toBe(200);
    const multipart = new FormData();
    multipart.set('csrfmiddlewaretoken', token);
    const mp = await app.request('/submit', { method: 'POST', headers: base, body: multipart });
    expect(mp.status).toBe(200);
    expect(seen).toEqual([
      '{"a":1}',
      'application/x-www-form-urlencoded',
      expect.stringMatching(/^multipart\/form-data/),
    ]);
  });

  it('rejects every missing or wrong layer with a stable reason, journals it, and never runs the handler', async () => {
    const { app, sink, seen } = setup();
    const { token, cookie } = await tokenAndCookie(app);
    const post = (headers: Record<string, string>, body = '{}') =>
      app.request('/submit', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect(await reason(await post({ cookie, 'x-csrftoken': token, origin: 'https://evil.example' }))).toBe(
      'ORIGIN_MISMATCH',
    );
    expect(await reason(await post({ cookie, 'x-csrftoken': token, origin: 'null' }))).toBe('ORIGIN_NULL');
    expect(await reason(await post({ cookie, 'x-csrftoken': token, 'sec-fetch-site': 'cross-site' }))).toBe(
      'CROSS_SITE_REQUEST',
    );
    expect(await reason(await post({ cookie, 'x-csrftoken': token }))).toBe('REFERER_MISSING');
    expect(await reason(await post({ cookie, 'x-csrftoken': token, referer: 'https://evil.example/x' }))).toBe(
      'REFERER_MISMATCH',
    );
    expect(await reason(await post({ cookie, 'x-csrftoken': token, referer: '::' }))).toBe('REFERER_MALFORMED');
    expect(await reason(await post({ origin: SELF, cookie: 'sessionid=abc', 'x-csrftoken': token }))).toBe(
      'TOKEN_COOKIE_MISSING',
    );
    expect(await reason(await post({ origin: SELF, cookie }))).toBe('TOKEN_MISSING');
    expect(await reason(await post({ origin: SELF, cookie, 'x-csrftoken': 'A'.repeat(86) }))).toBe('TOKEN_MISMATCH');
    expect(await reason(await post({ origin: SELF, cookie: 'csrftoken=forged.value', 'x-csrftoken': token }))).toBe(
      'TOKEN_COOKIE_INVALID',
    );
    const textPlain = await app.request('/submit', {
      method: 'POST',
      headers: { origin: SELF, cookie, 'content-type': 'text/plain' },
      body: `csrfmiddlewaretoken=${token}`,
    });
    expect(await reason(textPlain)).toBe('TOKEN_MISSING');
    expect(seen).toEqual([]);
    expect(sink.events).toHaveLength(11);
    expect(sink.events[0]).toMatchObject({
      type: 'csrf.rejected',
      status: 403,
      reason: 'ORIGIN_MISMATCH',
      path: '/submit',
    });
    expect(JSON.stringify(sink.events)).not.toContain(token);
  });

  it('accepts a same-origin Referer when there is no Origin, and requires https referers on https', async () => {
    const { app } = setup();
    const { token, cookie } = await tokenAndCookie(app);
    const ok = await app.request('/submit', {
      method: 'POST',
      headers: { cookie, 'x-csrftoken': token, referer: `${SELF}/form`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(ok.status).toBe(200);
    const https = setup({ requestOrigin: () => 'https://app.example' });
    const tc = await https.app.request('/form');
    const httpsCookie = (tc.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(tc.headers.get('set-cookie')).toMatch(/^__Host-csrftoken=.*; Secure$/);
    const { token: t2 } = (await tc.json()) as { token: string };
    const insecure = await https.app.request('/submit', {
      method: 'POST',
      headers: { cookie: httpsCookie, 'x-csrftoken': t2, referer: 'http://app.example/form' },
    });
    expect(await reason(insecure)).toBe('REFERER_INSECURE');
    const secure = await https.app.request('/submit', {
      method: 'POST',
      headers: { cookie: httpsCookie, 'x-csrftoken': t2, referer: 'https://app.example/form' },
    });
    expect(secure.status).toBe(200);
  });

  it('exempts Authorization-only requests but not when a cookie rides along', async () => {
    const { app, seen } = setup();
    const apiKey = await app.request('/submit', {
      method: 'POST',
      headers: { authorization: 'Bearer sk_test', 'content-type': 'text/plain', origin: 'https://evil.example' },
      body: 'x',
    });
    expect(apiKey.status).toBe(200);
    const withCookie = await app.request('/submit', {
      method: 'POST',
      headers: { authorization: 'Bearer sk_test', cookie: 'sessionid=abc', origin: SELF },
      body: 'x',
    });
    expect(await reason(withCookie)).toBe('TOKEN_COOKIE_MISSING');
    expect(seen).toEqual(['text/plain']);
  });

  it('grants no exemption to Authorization schemes a browser attaches by itself to a cross-site form', async () => {
    const { app, seen } = setup();
    for (const authorization of [
      'Basic dXNlcjpwYXNz',
      'digest username="u"',
      'NTLM TlRMTVNTUAAB',
      'Negotiate YII=',
      '',
    ]) {
      const res = await app.request('/submit', {
        method: 'POST',
        headers: {
          authorization,
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'https://evil.example',
          'sec-fetch-site': 'cross-site',
        },
        body: 'a=1',
      });
      expect(res.status, authorization).toBe(403);
    }
    expect(seen).toEqual([]);
  });

  it('asks no token of a request without cookies, but still refuses its cross-site browser signals', async () => {
    const { app, seen } = setup();
    const post = (headers: Record<string, string>) =>
      app.request('/submit', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{}',
      });
    const script = await app.request('/submit', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(script.status).toBe(200);
    const sameOrigin = await app.request('/submit', { method: 'POST', headers: { origin: SELF }, body: 'x' });
    expect(sameOrigin.status).toBe(200);
    expect(await reason(await post({ origin: 'https://evil.example' }))).toBe('ORIGIN_MISMATCH');
    expect(await reason(await post({ origin: 'null' }))).toBe('ORIGIN_NULL');
    expect(await reason(await post({ 'sec-fetch-site': 'cross-site' }))).toBe('CROSS_SITE_REQUEST');
    // With any cookie the full layers apply again: no Origin and no Referer is refused.
    expect(await reason(await post({ cookie: 'sessionid=abc' }))).toBe('REFERER_MISSING');
    expect(seen).toHaveLength(2);
  });

  it('binds the token to the session and rotates it on login', async () => {
    const { app } = setup();
    const anon = await tokenAndCookie(app);
    // Logging in: the anonymous token is valid for the login post, which rotates to the new session.
    const login = await app.request('/login', {
      method: 'POST',
      headers: { origin: SELF, cookie: anon.cookie, 'x-csrftoken': anon.token },
    });
    expect(login.status).toBe(200);
    const rotatedCookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(rotatedCookie).not.toBe(anon.cookie);
    const { token: rotated } = (await login.json()) as { token: string };
    const post = (cookie: string, token: string) =>
      app.request('/submit', {
        method: 'POST',
        headers: {
          origin: SELF,
          cookie,
          'x-csrftoken': token,
          'x-test-session': 'session-2',
          'content-type': 'application/json',
        },
        body: '{}',
      });
    expect((await post(rotatedCookie, rotated)).status).toBe(200);
    expect(await reason(await post(anon.cookie, anon.token))).toBe('TOKEN_COOKIE_INVALID');
    expect(await reason(await post(rotatedCookie, anon.token))).toBe('TOKEN_MISMATCH');
  });

  it('trusts per-tenant origins through the resolver and fails closed when it is down', async () => {
    let down = false;
    const { app } = setup({
      hostResolution: () => ({
        kind: 'agent',
        agentId: 'a',
        agentName: 'a',
        accountId: 'x',
        pendingVerification: false,
      }),
      originResolver: {
        originsFor: async () => {
          if (down) throw new Error('down');
          return ['https://tenant.example'];
        },
      },
    });
    const { token, cookie } = await tokenAndCookie(app);
    const post = () =>
      app.request('/submit', {
        method: 'POST',
        headers: { origin: 'https://tenant.example', 'sec-fetch-site': 'cross-site', cookie, 'x-csrftoken': token },
      });
    expect((await post()).status).toBe(200);
    down = true;
    expect(await reason(await post())).toBe('TRUSTED_ORIGINS_UNAVAILABLE');
  });
});
