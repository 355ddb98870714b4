import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { problemResponse } from '../errors/problem.ts';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { responseHasHeader } from '../internal/response-headers.ts';
import { requestId } from '../journal/request-id.ts';
import { NONCE } from './csp.ts';
import { jsonHeaderBuilder } from './profiles.ts';
import { resolveSecureHeadersOptions, secureHeaders, secureHeadersOverride } from './secure-headers.ts';

const COMMON = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-dns-prefetch-control': 'off',
  'x-permitted-cross-domain-policies': 'none',
};

function expectCommon(res: Response) {
  for (const [name, value] of Object.entries(COMMON)) expect(res.headers.get(name), name).toBe(value);
  expect(res.headers.get('permissions-policy')).toContain('camera=()');
  expect(res.headers.get('x-powered-by')).toBeNull();
  expect(res.headers.get('server')).toBeNull();
}

function app() {
  const a = new Hono<{ Variables: { cspNonce: string } }>();
  a.use(secureHeaders());
  a.use(requestId());
  a.use('/guarded', async () => problemResponse({ status: 403, code: 'BLOCKED', title: 'Blocked' }));
  a.get('/json', (c) => c.json({ ok: true }));
  a.get('/json-201', (c) => c.json({ ok: true }, 201));
  a.get('/json-header', (c) => {
    c.header('cache-control', 'max-age=60');
    c.header('x-powered-by', 'Express');
    return c.json({ ok: true });
  });
  a.get('/html', (c) => {
    c.header('cache-control', 'public, max-age=600');
    return c.html(`<script nonce="${c.get('cspNonce')}">1</script>`);
  });
  a.get('/boom', () => {
    throw new Error('secret internals at /srv/app.ts');
  });
  a.get(
    '/download',
    () =>
      new Response('x', {
        headers: { 'content-type': 'text/html', 'content-security-policy': "default-src 'none'; sandbox" },
      }),
  );
  a.get('/redirect', (c) => c.redirect('/json'));
  a.get('/static-redirect', () => Response.redirect('https://example.com/', 302));
  a.get('/fetched', () => fetch('data:text/plain,hello'));
  a.get('/framed', secureHeadersOverride({ htmlCsp: { 'frame-ancestors': ['https://partner.example'] } }), (c) =>
    c.html('<p>embed</p>'),
  );
  a.onError(() => problemResponse({ status: 500, code: 'INTERNAL', title: 'Internal server error' }));
  a.notFound(() => problemResponse({ status: 404, code: 'NOT_FOUND', title: 'Not found' }));
  return a;
}

describe('resolveSecureHeadersOptions', () => {
  it('rejects misspelled and unsafe options with a config error that says what to write', () => {
    expect(() => resolveSecureHeadersOptions({ reportonly: true } as never)).toThrow(/unknown option "reportonly"/);
    expect(() => resolveSecureHeadersOptions({ htmlCsp: { 'script-src': ["'unsafe-inline'"] } })).toThrow(
      SmarterConfigError,
    );
    expect(() => resolveSecureHeadersOptions({ htmlCsp: { 'script-src': ['x; report-uri /'] } })).toThrow(/one source/);
    expect(() => resolveSecureHeadersOptions({ referrerPolicy: 'unsafe-url' as never })).toThrow(/same-origin/);
    expect(() => resolveSecureHeadersOptions({ reportUri: 'https://evil.example/r' })).toThrow(/same-origin path/);
    expect(() => resolveSecureHeadersOptions({ apiCsp: { 'script-src': [NONCE] } })).toThrow(/NONCE/);
  });

  it('precomputes the API policy and the nonce template once', () => {
    const r = resolveSecureHeadersOptions({ reportUri: '/csp-report', reportOnly: true });
    expect(r.cspHeader).toBe('content-security-policy-report-only');
    expect(r.apiCsp).toBe("default-src 'none'; frame-ancestors 'none'; report-uri /csp-report");
    expect(r.htmlCsp).toHaveLength(3);
    expect(r.htmlCsp.join('N')).toContain("script-src 'nonce-N' 'strict-dynamic'");
    expect(r.htmlCsp.join('N')).not.toContain('unsafe-inline');
  });

  it('builds a JSON response’s headers with the same names, values and order as the profiles, for both CSP modes', () => {
    for (const reportOnly of [false, true]) {
      const r = resolveSecureHeadersOptions({ reportUri: '/csp-report', reportOnly, referrerPolicy: 'no-referrer' });
      const built = r.jsonHeaders('application/problem+json');
      expect(Object.entries(built)).toEqual(
        Object.entries({
          'content-type': 'application/problem+json',
          ...r.common,
          [r.cspHeader]: r.apiCsp,
          'cache-control': 'no-store',
        }),
      );
      // A fresh object every time: the caller adds this response's own headers to it.
      expect(r.jsonHeaders('application/json')).not.toBe(r.jsonHeaders('application/json'));
    }
  });
});

describe('secureHeaders', () => {
  it('puts the API profile on a plain JSON answer (fast path) with the request id', async () => {
    const res = await app().request('/json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expectCommon(res);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await app().request('/json-201')).status).toBe(201);
  });

  it('keeps a handler cache-control on JSON but strips X-Powered-By', async () => {
    const res = await app().request('/json-header');
    expectCommon(res);
    expect(res.headers.get('cache-control')).toBe('max-age=60');
  });

  it("keeps a policy the handler set beside its own, so a download's sandbox survives and nothing loosens", async () => {
    const res = await app().request('/download');
    const policies = (res.headers.get('content-security-policy') ?? '').split(', ');
    expect(policies).toHaveLength(2);
    expect(policies[0]).toMatch(/^default-src 'self'; script-src 'nonce-/);
    expect(policies[1]).toBe("default-src 'none'; sandbox");
    // Without a policy of the handler's there is one.
    expect((await app().request('/json-header')).headers.get('content-security-policy')).not.toContain(',');
  });

  it('gives HTML a fresh nonce per request that matches the page, and forces private, no-store', async () => {
    const a = app();
    const one = await a.request('/html');
    const two = await a.request('/html');
    const nonce = /nonce="([0-9a-f]{32})"/.exec(await one.text())?.[1];
    expect(nonce).toBeDefined();
    expect(one.headers.get('content-security-policy')).toContain(`'nonce-${nonce}'`);
    expect(one.headers.get('content-security-policy')).toContain(
      "object-src 'none'; base-uri 'none'; form-action 'self'",
    );
    expect(two.headers.get('content-security-policy')).not.toContain(`'nonce-${nonce}'`);
    expect(one.headers.get('cache-control')).toBe('private, no-store');
    expectCommon(one);
  });

  it('covers errors, not-found, guard rejections and redirects', async () => {
    const a = app();
    for (const path of ['/boom', '/nope', '/guarded', '/redirect']) {
      const res = await a.request(path);
      expectCommon(res);
      expect(res.headers.get('content-security-policy'), path).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get('x-request-id'), path).toMatch(/^[0-9a-f-]{36}$/);
    }
    const boom = await a.request('/boom');
    expect(await boom.text()).not.toContain('/srv/app.ts');
    expect((await a.request('/redirect')).headers.get('location')).toBe('/json');
  });

  it('covers responses whose headers are immutable (Response.redirect, fetch)', async () => {
    const a = app();
    const redirect = await a.request('/static-redirect');
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('https://example.com/');
    expectCommon(redirect);
    const fetched = await a.request('/fetched');
    expect(await fetched.text()).toBe('hello');
    expectCommon(fetched);
    expect(fetched.headers.get('cache-control')).toBe('no-store');
  });

  it('applies per-route overrides only to their route', async () => {
    const a = app();
    const framed = await a.request('/framed');
    expect(framed.headers.get('content-security-policy')).toContain('frame-ancestors https://partner.example');
    expect(framed.headers.get('content-security-policy')).not.toContain("frame-ancestors 'none'");
    const html = await a.request('/html');
    expect(html.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(() => secureHeadersOverride({ htmlCsp: { 'script-src': ["'unsafe-eval'"] } })).toThrow(SmarterConfigError);
  });
});

describe('responseHasHeader', () => {
  it('answers from the built headers on the fast path and from the response otherwise', async () => {
    const seen: Record<string, boolean[]> = {};
    const app = new Hono();
    app.use(secureHeaders());
    app.use(async (c, next) => {
      await next();
      seen[c.req.path] = [
        responseHasHeader(c, 'Content-Security-Policy'),
        responseHasHeader(c, 'set-cookie'),
        responseHasHeader(c, 'x-custom'),
      ];
    });
    app.get('/fast', (c) => c.json({ ok: true }));
    app.get('/cookie', (c) => {
      c.header('set-cookie', 'a=1; Path=/');
      return c.json({ ok: true });
    });
    app.get('/text', (c) => c.text('ok', 200, { 'x-custom': '1' }));
    // A layer closer to the handler changes the fast response's headers in place after the handler.
    app.get(
      '/changed',
      async (c, next) => {
        await next();
        c.res.headers.append('set-cookie', 'sid=1; Path=/');
        c.res.headers.set('x-custom', '2');
      },
      (c) => c.json({ ok: true }),
    );
    for (const path of ['/fast', '/cookie', '/text', '/changed']) expect((await app.request(path)).status).toBe(200);
    // The inner middleware runs before the secure headers are added to a response Hono built itself.
    expect(seen).toEqual({
      '/fast': [true, false, false],
      '/cookie': [false, true, false],
      '/text': [false, false, true],
      '/changed': [true, true, true],
    });
  });
});

describe('jsonHeaderBuilder', () => {
  it('builds the same object the general way when the common headers are not the ones it spells out', () => {
    const build = jsonHeaderBuilder({ 'x-frame-options': 'DENY', 'x-extra': '1' }, 'content-security-policy', 'csp');
    expect(Object.entries(build('application/json'))).toEqual([
      ['content-type', 'application/json'],
      ['x-frame-options', 'DENY'],
      ['x-extra', '1'],
      ['content-security-policy', 'csp'],
      ['cache-control', 'no-store'],
    ]);
  });
});
