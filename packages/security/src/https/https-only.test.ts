import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { secureHeaders } from '../headers/secure-headers.ts';
import { allowedHosts } from '../host/allowed-hosts.ts';
import { clientIdentity } from '../identity/client-identity.ts';
import { httpsOnly, resolveHttpsOnlyOptions } from './https-only.ts';

function setup(options: Parameters<typeof httpsOnly>[0] = {}, peer = '10.0.0.1', withHosts = true) {
  const handler = vi.fn();
  const app = new Hono();
  app.use(clientIdentity({ trustedProxies: ['private'], peerAddress: () => peer }));
  if (withHosts) app.use(allowedHosts({ hosts: ['smarter.example'] }));
  app.use(httpsOnly(options));
  app.all('*', (c) => {
    handler();
    return c.text('ok');
  });
  return { app, handler };
}

describe('httpsOnly', () => {
  it('redirects plain http to the validated host: 301 for GET, 308 otherwise, path and query kept', async () => {
    const { app, handler } = setup();
    const get = await app.request('http://SMARTER.example:8080/a/b?x=1');
    expect(get.status).toBe(301);
    expect(get.headers.get('location')).toBe('https://smarter.example/a/b?x=1');
    const post = await app.request('http://smarter.example/a', { method: 'POST' });
    expect(post.status).toBe(308);
    expect(handler).not.toHaveBeenCalled();
    expect(get.headers.get('strict-transport-security')).toBeNull();
  });

  it('trusts X-Forwarded-Proto only from a trusted proxy', async () => {
    const trusted = setup();
    const res = await trusted.app.request('http://smarter.example/', { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    const untrusted = setup({}, '203.0.113.1');
    const forged = await untrusted.app.request('http://smarter.example/', {
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(forged.status).toBe(301);
  });

  it('never redirects to an unvalidated host', async () => {
    const { app } = setup({}, '10.0.0.1', false);
    const res = await app.request('http://evil.example/');
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).not.toContain('evil');
  });

  it('exempts health and ACME paths, and can use another https port', async () => {
    const { app } = setup({ httpsPort: 8443 });
    expect((await app.request('http://smarter.example/healthz')).status).toBe(200);
    expect((await app.request('http://smarter.example/.well-known/acme-challenge/t0k')).status).toBe(200);
    expect((await app.request('http://smarter.example/x')).headers.get('location')).toBe(
      'https://smarter.example:8443/x',
    );
  });

  it('adds preload only when asked, and no HSTS when disabled', async () => {
    const preload = setup({ hsts: { preload: true } });
    const res = await preload.app.request('https://smarter.example/');
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains; preload');
    const off = setup({ hsts: false });
    expect((await off.app.request('https://smarter.example/')).headers.get('strict-transport-security')).toBeNull();
  });

  it('validates its options', () => {
    expect(() => resolveHttpsOnlyOptions({ hsts: { preload: true, maxAge: 60 } })).toThrow(SmarterConfigError);
    expect(() => resolveHttpsOnlyOptions({ hsts: { maxage: 60 } as never })).toThrow(/unknown option "maxage"/);
    expect(() => resolveHttpsOnlyOptions({ httpsPort: 0 })).toThrow(/httpsPort/);
  });
});

describe('httpsOnly under secureHeaders', () => {
  it('sends HSTS on fast-path JSON answers too', async () => {
    const app = new Hono();
    app.use(secureHeaders());
    app.use(httpsOnly());
    app.get('/json', (c) => c.json({ ok: true }));
    const res = await app.request('https://smarter.example/json');
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    const plain = await app.request('http://smarter.example/json');
    expect(plain.headers.get('strict-transport-security')).toBeNull();
  });
});
