import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import type { HostResolution } from '../host/resolver.ts';
import { createJournal, memorySink } from '../journal/journal.ts';
import { cors, resolveCorsOptions } from './cors.ts';

const AGENT: HostResolution = {
  kind: 'agent',
  agentId: 'a1',
  agentName: 'bot',
  accountId: 'acc',
  pendingVerification: false,
};

function setup(options: Parameters<typeof cors>[0] = {}) {
  const sink = memorySink();
  const journal = createJournal({ sinks: [sink] });
  let ran = 0;
  const app = new Hono();
  app.use(async (c, next) => {
    if (c.req.header('x-agent')) c.set('hostResolution' as never, AGENT as never);
    await next();
  });
  app.use(cors({ origins: ['https://app.example.com'], journal, ...options }));
  app.all('/api/x', (c) => {
    ran++;
    return c.json({ ok: true });
  });
  return { app, sink, ran: () => ran };
}

const preflight = (origin: string, method = 'POST', headers?: string, extra: Record<string, string> = {}) => ({
  method: 'OPTIONS',
  headers: {
    origin,
    'access-control-request-method': method,
    ...(headers ? { 'access-control-request-headers': headers } : {}),
    ...extra,
  },
});

describe('resolveCorsOptions', () => {
  it('refuses wildcards, unanchored patterns, paths and plain-http credentialed origins', () => {
    expect(() => resolveCorsOptions({ origins: ['*'] })).toThrow(SmarterConfigError);
    expect(() => resolveCorsOptions({ origins: ['https://a.example/path'] })).toThrow(/no path/);
    expect(() => resolveCorsOptions({ originPatterns: [/https:\/\/.*\.example\.com/] })).toThrow(/anchored/);
    expect(() => resolveCorsOptions({ origins: ['http://a.example'], credentials: true })).toThrow(/https/);
    expect(() => resolveCorsOptions({ origins: ['HTTP://a.example'], credentials: true })).toThrow(/https/);
    expect(() => resolveCorsOptions({ origins: ['http://localhost:5173'], credentials: true })).not.toThrow();
    expect(() => resolveCorsOptions({ allowHeaders: ['*'] })).toThrow(/explicitly/);
    expect(() => resolveCorsOptions({ origin: ['x'] } as never)).toThrow(/unknown option "origin"/);
    const r = resolveCorsOptions({});
    for (const h of ['x-api-key', 'x-smarter-client', 'x-smarter-requestid']) expect(r.headers.has(h)).toBe(true);
  });
});

describe('cors', () => {
  it('reflects only an exact allowed origin, always with Vary: Origin', async () => {
    const { app } = setup({ credentials: true });
    const ok = await app.request('/api/x', { headers: { origin: 'https://app.example.com' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('vary')).toBe('Origin');
    for (const origin of ['https://app.example.com.evil.com', 'https://evil.com', 'null']) {
      const res = await app.request('/api/x', { headers: { origin } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(res.headers.get('vary')).toBe('Origin');
    }
    const none = await app.request('/api/x');
    expect(none.headers.get('vary')).toBe('Origin');
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers an allowed preflight with the allowlists and never runs the handler', async () => {
    const { app, ran } = setup();
    const res = await app.request('/api/x', preflight('https://app.example.com', 'PATCH', 'Content-Type, X-API-Key'));
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type, x-api-key');
    expect(res.headers.get('access-control-max-age')).toBe('600');
    expect(res.headers.get('vary')).toContain('Origin');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(ran()).toBe(0);
  });

  it('refuses a bad preflight with 403 problem+json, a reason and a journal event', async () => {
    const { app, sink, ran } = setup();
    const cases: Array<[RequestInit, string]> = [
      [preflight('https://evil.com'), 'ORIGIN_NOT_ALLOWED'],
      [preflight('https://app.example.com', 'TRACE'), 'METHOD_NOT_ALLOWED'],
      [preflight('https://app.example.com', 'POST', 'x-evil'), 'HEADER_NOT_ALLOWED'],
      [
        preflight('https://app.example.com', 'GET', undefined, { 'access-control-request-private-network': 'true' }),
        'PRIVATE_NETWORK_NOT_ALLOWED',
      ],
    ];
    for (const [init, reason] of cases) {
      const res = await app.request('/api/x', init);
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(await res.json()).toMatchObject({ code: 'CORS_REJECTED', reason });
    }
    expect(sink.events.map((e) => e.reason)).toEqual(cases.map(([, r]) => r));
    expect(sink.events[0]).toMatchObject({ type: 'cors.rejected', status: 403, method: 'OPTIONS' });
    expect(ran()).toBe(0);
  });

  it('answers Private Network Access preflights when enabled', async () => {
    const { app } = setup({ privateNetwork: true });
    const res = await app.request(
      '/api/x',
      preflight('https://app.example.com', 'GET', undefined, { 'access-control-request-private-network': 'true' }),
    );
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-private-network')).toBe('true');
  });

  it('holds a pattern with alternatives to the whole origin, not its first branch to the start and its last to the end', async () => {
    const { app } = setup({ originPatterns: [/^https:\/\/app\.example\.com|https:\/\/admin\.example\.com$/] });
    for (const origin of ['https://app.example.com', 'https://admin.example.com']) {
      const res = await app.request('/api/x', { headers: { origin } });
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    }
    for (const origin of ['https://app.example.com.evil.net', 'https://evil.net/https://admin.example.com']) {
      const res = await app.request('/api/x', { headers: { origin } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('never trusts the opaque origin "null", even when a tenant lists it', async () => {
    const { app } = setup({
      credentials: true,
      originResolver: { originsFor: async () => ['null', 'https://bot-ui.example'] },
    });
    const res = await app.request('/api/x', { headers: { origin: 'null', 'x-agent': '1' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const listed = await app.request('/api/x', { headers: { origin: 'https://bot-ui.example', 'x-agent': '1' } });
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://bot-ui.example');
  });

  it('accepts anchored patterns and per-agent origins from the resolver, and fails closed when it is down', async () => {
    let down = false;
    const { app } = setup({
      originPatterns: [/^https:\/\/[a-z0-9-]+\.tenant\.example$/],
      originResolver: {
        originsFor: async (r) => {
          if (down) throw new Error('db down');
          return r.agentId === 'a1' ? ['https://bot-ui.example'] : [];
        },
      },
    });
    const pat = await app.request('/api/x', { headers: { origin: 'https://shop.tenant.example' } });
    expect(pat.headers.get('access-control-allow-origin')).toBe('https://shop.tenant.example');
    const evilPat = await app.request('/api/x', { headers: { origin: 'https://shop.tenant.example.evil.com' } });
    expect(evilPat.headers.get('access-control-allow-origin')).toBeNull();
    const agent = await app.request('/api/x', { headers: { origin: 'https://bot-ui.example', 'x-agent': '1' } });
    expect(agent.headers.get('access-control-allow-origin')).toBe('https://bot-ui.example');
    const noAgent = await app.request('/api/x', { headers: { origin: 'https://bot-ui.example' } });
    expect(noAgent.headers.get('access-control-allow-origin')).toBeNull();
    down = true;
    const failed = await app.request(
      '/api/x',
      preflight('https://bot-ui.example', 'POST', undefined, { 'x-agent': '1' }),
    );
    expect(failed.status).toBe(403);
  });
});
