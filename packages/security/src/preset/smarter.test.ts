import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { csrfToken } from '../csrf/csrf.ts';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { createJournal, memorySink } from '../journal/journal.ts';
import { resolveSmarterOptions, smarter } from './smarter.ts';

const KEY = 's'.repeat(32);

function setup(extra: Partial<Parameters<typeof smarter>[0]> = {}) {
  const sink = memorySink();
  const ran: string[] = [];
  const app = new Hono();
  const security = smarter({
    secretKeys: [KEY],
    journal: createJournal({ sinks: [sink] }),
    hosts: { hosts: ['localhost', 'app.example'] },
    https: { redirect: false, hsts: false },
    production: true,
    ...extra,
  });
  security.install(app);
  app.get('/api/v1/hello', (c) => {
    ran.push('hello');
    return c.json({ hello: 'world' });
  });
  app.post('/api/v1/items', async (c) => {
    ran.push('items');
    return c.json(await c.req.json(), 201);
  });
  app.get('/page', async (c) =>
    c.html(`<form><input name="csrfmiddlewaretoken" value="${await csrfToken(c)}"></form>`),
  );
  app.get('/boom', () => {
    throw new Error('db password=hunter2');
  });
  return { app, sink, ran, security };
}

function expectSecured(res: Response) {
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('content-security-policy')).toBeTruthy();
  expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
}

describe('resolveSmarterOptions', () => {
  it('requires keys, names unknown options and refuses unknown guards to disable', () => {
    expect(() => resolveSmarterOptions({ secretKeys: [] })).toThrow(/secretKeys is required/);
    expect(() => resolveSmarterOptions({ secretKeys: [KEY], trustProxy: true } as never)).toThrow(SmarterConfigError);
    expect(() => resolveSmarterOptions({ secretKeys: [KEY], dangerouslyDisable: ['headers' as never] })).toThrow(
      /cannot disable "headers"/,
    );
    expect(() => resolveSmarterOptions({ secretKeys: [KEY], apiPrefixes: ['api'] })).toThrow(/start and end/);
    expect(resolveSmarterOptions({ secretKeys: [KEY] }).apiPrefixes).toEqual(['/api/']);
  });
});

describe('smarter preset', () => {
  it('serves a plain JSON route with every header', async () => {
    const { app, ran } = setup();
    const res = await app.request('/api/v1/hello');
    expect(res.status).toBe(200);
    expectSecured(res);
    expect(res.headers.get('vary')).toBe('Origin');
    expect(ran).toEqual(['hello']);
  });

  it('puts headers and the request id on every guard rejection, and the handler never runs', async () => {
    const { app, ran, sink } = setup();
    const cases: Array<[string, RequestInit, number]> = [
      ['http://evil.example/api/v1/hello', {}, 400],
      ['/.env', {}, 403],
      [
        '/api/v1/items',
        { method: 'POST', headers: { 'content-type': 'text/plain', authorization: 'Bearer k' }, body: 'x' },
        415,
      ],
      [
        '/api/v1/items',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: 'https://evil.example', cookie: 'a=b' },
          body: '{}',
        },
        403,
      ],
      [
        '/api/v1/hello',
        { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } },
        403,
      ],
    ];
    for (const [url, init, status] of cases) {
      const res = await app.request(url, init);
      expect(res.status, url).toBe(status);
      expect(res.headers.get('content-type'), url).toBe('application/problem+json');
      expectSecured(res);
      const body = (await res.json()) as { requestId: string };
      expect(body.requestId).toBe(res.headers.get('x-request-id'));
    }
    expect(ran).toEqual([]);
    const types = new Set(sink.events.map((e) => e.type));
    for (const t of ['host.rejected', 'path.sensitive', 'csrf.rejected', 'cors.rejected'])
      expect(types.has(t as never), t).toBe(true);
    for (const e of sink.events) expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/);
    for (const e of sink.events) expect(e.clientKey, e.type).toBe('unknown');
  });

  it('hides internals of thrown errors and answers 404/405 as problem+json with headers', async () => {
    const { app } = setup();
    const boom = await app.request('/boom');
    expect(boom.status).toBe(500);
    expectSecured(boom);
    expect(await boom.text()).not.toContain('hunter2');
    const missing = await app.request('/api/v1/missing');
    expect(missing.status).toBe(404);
    expectSecured(missing);
    const wrong = await app.request('/api/v1/hello', { method: 'DELETE', headers: { authorization: 'Bearer k' } });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD');
    expectSecured(wrong);
  });

  it('runs the whole CSRF flow with the origin the identity and host guards resolved', async () => {
    const { app, ran } = setup();
    const page = await app.request('http://app.example/page');
    expect(page.headers.get('cache-control')).toBe('private, no-store');
    const token = /value="([\w-]+)"/.exec(await page.text())?.[1] as string;
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const ok = await app.request('http://app.example/api/v1/items', {
      method: 'POST',
      headers: { origin: 'http://app.example', cookie, 'x-csrftoken': token, 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({ a: 1 });
    const cross = await app.request('http://app.example/api/v1/items', {
      method: 'POST',
      headers: { origin: 'http://localhost', cookie, 'x-csrftoken': token, 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(cross.status).toBe(403);
    expect(ran).toEqual(['items']);
  });

  it('accepts CSP reports without a CSRF token and journals them', async () => {
    const { app, sink } = setup();
    const res = await app.request('/csp-report', {
      method: 'POST',
      headers: { 'content-type': 'application/csp-report', cookie: 'csrftoken=x', origin: 'http://localhost' },
      body: JSON.stringify({ 'csp-report': { 'effective-directive': 'script-src-elem', 'blocked-uri': 'inline' } }),
    });
    expect(res.status).toBe(204);
    expect(sink.events.map((e) => e.type)).toEqual(['csp.report']);
  });

  it('lets a named guard be disabled, and only that one', async () => {
    const { app } = setup({ dangerouslyDisable: ['hosts'] });
    expect((await app.request('http://evil.example/api/v1/hello')).status).toBe(200);
    expect((await app.request('http://evil.example/.env')).status).toBe(403);
  });
});

describe('smarter preset: rejections built with every header in one step', () => {
  it('a guard rejection carries the same secure headers as a JSON answer, problem+json and the request id', async () => {
    const { app } = setup();
    const ok = await app.request('http://localhost/api/v1/hello');
    const rejected = await app.request('http://localhost/.env');
    expect(rejected.status).toBe(403);
    expect(rejected.headers.get('content-type')).toBe('application/problem+json');
    // Vary: Origin comes from CORS, which runs after the sensitive-path guard refused this one.
    const names = (res: Response) => [...res.headers.keys()].filter((n) => n !== 'content-type' && n !== 'vary').sort();
    expect(names(rejected)).toEqual(names(ok));
    expect((await rejected.json()).requestId).toBe(rejected.headers.get('x-request-id'));
  });

  it('a refused preflight merges its own Vary with the CORS Vary without repeating a token', async () => {
    const { app } = setup({ cors: { origins: ['https://ok.example'] } });
    const res = await app.request('http://localhost/api/v1/hello', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-security-policy')).toBeTruthy();
    const vary = (res.headers.get('vary') ?? '').split(/\s*,\s*/);
    expect(vary.filter((t) => t.toLowerCase() === 'origin')).toHaveLength(1);
  });
});
