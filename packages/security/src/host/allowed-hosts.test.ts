import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { clientIdentity } from '../identity/client-identity.ts';
import { createJournal, memorySink } from '../journal/journal.ts';
import { fakeClock } from '../testing/store-conformance.ts';
import { type AllowedHostsVariables, allowedHosts, resolveAllowedHostsOptions } from './allowed-hosts.ts';
import { cachedHostResolver } from './cached-resolver.ts';
import type { HostResolution, HostResolver } from './resolver.ts';

const agent = (pending = false): HostResolution => ({
  kind: 'agent',
  agentId: 'a1',
  agentName: 'bot',
  accountId: 'acc',
  pendingVerification: pending,
});

function setup(options: Parameters<typeof allowedHosts>[0], peer = '203.0.113.1', env?: unknown) {
  const sink = memorySink();
  const handler = vi.fn();
  const app = new Hono<{ Variables: AllowedHostsVariables }>();
  app.use(clientIdentity({ trustedProxies: ['10.0.0.0/8'], peerAddress: () => peer }));
  app.use(allowedHosts({ journal: createJournal({ sinks: [sink] }), ...options }));
  app.all('*', (c) => {
    handler();
    return c.json({ host: c.get('validHost'), authority: c.get('validAuthority'), agent: c.get('hostResolution') });
  });
  const get = (url: string, headers: Record<string, string> = {}) => app.request(url, { headers }, env as never);
  return { app, sink, handler, get };
}

describe('allowedHosts', () => {
  it('accepts exact hosts on any port unless a port is given, case- and trailing-dot-insensitive', async () => {
    const { get } = setup({ hosts: ['smarter.example', 'admin.example:8443'] });
    expect(await (await get('http://smarter.example/')).json()).toEqual({
      host: 'smarter.example',
      authority: 'smarter.example',
    });
    expect((await get('http://SMARTER.example.:8080/')).status).toBe(200);
    expect((await get('http://admin.example:8443/')).status).toBe(200);
    expect((await get('http://admin.example:9999/')).status).toBe(400);
    expect((await get('http://admin.example/')).status).toBe(400);
  });

  it('rejects unknown hosts with 400 problem+json that does not echo the host, and journals it', async () => {
    const { get, sink, handler } = setup({ hosts: ['smarter.example'] });
    const res = await get('http://evil-attacker.example/');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const text = await res.text();
    expect(text).not.toContain('evil');
    expect(JSON.parse(text)).toMatchObject({ code: 'INVALID_HOST' });
    expect(handler).not.toHaveBeenCalled();
    expect(sink.events[0]).toMatchObject({ type: 'host.rejected', reason: 'UNKNOWN_HOST', status: 400 });
  });

  it('does not accept subdomains unless dangerously opted in', async () => {
    expect((await setup({ hosts: ['example.com'] }).get('http://a.example.com/')).status).toBe(400);
    const d = setup({ dangerouslyAllowSubdomainsOf: ['example.com'] });
    expect((await d.get('http://a.example.com/')).status).toBe(200);
    expect((await d.get('http://evilexample.com/')).status).toBe(400);
    expect((await d.get('http://example.com.evil.net/')).status).toBe(400);
  });

  it('rejects duplicate Host headers seen in the raw headers (Node) or merged by Headers', async () => {
    const env = { incoming: { rawHeaders: ['Host', 'smarter.example', 'host', 'evil.example'] } };
    const { get, sink } = setup({ hosts: ['smarter.example'] }, '203.0.113.1', env);
    expect((await get('http://smarter.example/')).status).toBe(400);
    expect(sink.events[0]?.reason).toBe('DUPLICATE_HOST');
    const merged = setup({ hosts: ['smarter.example'] });
    expect((await merged.get('http://smarter.example/', { host: 'smarter.example, evil.example' })).status).toBe(400);
  });

  it('rejects an absolute-form target that disagrees with Host', async () => {
    const { get, sink } = setup({ hosts: ['smarter.example', 'evil.example'] });
    expect((await get('http://evil.example/', { host: 'smarter.example' })).status).toBe(400);
    expect(sink.events[0]?.reason).toBe('HOST_MISMATCH');
    expect((await get('http://smarter.example:80/', { host: 'smarter.example' })).status).toBe(200);
  });

  it('checks the Host of the request it is given, not the one the identity layer saw before a replacement', async () => {
    const app = new Hono();
    app.use(clientIdentity({ peerAddress: () => '203.0.113.1' }));
    // A layer between the two that swaps in a request whose Host names another site than its URL.
    app.use(async (c, next) => {
      c.req.raw = new Request(c.req.raw.url, { headers: { host: 'other.example' } });
      await next();
    });
    app.use(allowedHosts({ hosts: ['smarter.example'] }));
    app.get('*', (c) => c.json({ ok: true }));
    const res = await app.request('http://smarter.example/');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'INVALID_HOST' });
  });

  it('honours X-Forwarded-Host only from a trusted proxy', async () => {
    const untrusted = setup({ hosts: ['smarter.example'] });
    const res = await untrusted.get('http://internal.svc/', { 'x-forwarded-host': 'smarter.example' });
    expect(res.status).toBe(400);
    const trusted = setup({ hosts: ['smarter.example'] }, '10.0.0.5');
    const ok = await trusted.get('http://internal.svc/', { 'x-forwarded-host': 'smarter.example' });
    expect(await ok.json()).toMatchObject({ host: 'smarter.example' });
    expect((await trusted.get('http://internal.svc/', { 'x-forwarded-host': 'evil.example' })).status).toBe(400);
  });

  it('resolves dynamic agent hosts; pending domains pass only the ACME challenge path', async () => {
    const resolver: HostResolver = {
      resolve: async (host) =>
        host === 'bot.1234.agents.example' ? agent() : host === 'custom.example' ? agent(true) : undefined,
    };
    const { get } = setup({ hosts: ['smarter.example'], resolver });
    const ok = await get('http://bot.1234.agents.example/api/v1/config');
    expect(await ok.json()).toMatchObject({ host: 'bot.1234.agents.example', agent: { agentName: 'bot' } });
    expect((await get('http://other.1234.agents.example/')).status).toBe(400);
    expect((await get('http://custom.example/.well-known/acme-challenge/tok_123')).status).toBe(200);
    expect((await get('http://custom.example/api/v1/config')).status).toBe(400);
    expect((await get('http://custom.example/.well-known/acme-challenge/a/b')).status).toBe(400);
  });

  it('fails closed when the resolver fails', async () => {
    const resolver: HostResolver = { resolve: () => Promise.reject(new Error('db down')) };
    const { get, handler } = setup({ hosts: ['smarter.example'], resolver });
    expect((await get('http://bot.agents.example/')).status).toBe(503);
    expect((await get('http://smarter.example/')).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('lets health probes through by peer address, never by Host', async () => {
    const probes = { paths: ['/healthz'], from: ['private'] };
    expect(
      (await setup({ hosts: ['smarter.example'], probes }, '10.1.2.3').get('http://10.1.2.99/healthz')).status,
    ).toBe(200);
    expect(
      (await setup({ hosts: ['smarter.example'], probes }, '203.0.113.1').get('http://10.1.2.99/healthz')).status,
    ).toBe(400);
    expect((await setup({ hosts: ['smarter.example'], probes }, '10.1.2.3').get('http://10.1.2.99/other')).status).toBe(
      400,
    );
  });

  it('does not take a client forwarded by an internal proxy for a probe', async () => {
    const probes = { paths: ['/healthz'], from: ['private'] };
    const { get, handler } = setup({ hosts: ['smarter.example'], probes }, '10.1.2.3');
    expect((await get('http://evil.example/healthz', { 'x-forwarded-for': '198.51.100.7' })).status).toBe(400);
    expect((await get('http://smarter.example/healthz', { 'x-forwarded-for': '198.51.100.7' })).status).toBe(200);
    expect((await get('http://10.1.2.99/healthz')).status).toBe(200);
    // Also when the proxy hides the client (RFC 7239 allows `for=unknown`), leaving no address to resolve.
    expect((await get('http://evil.example/healthz', { forwarded: 'for=unknown' })).status).toBe(400);
    expect((await get('http://evil.example/healthz', { 'x-forwarded-for': 'unknown' })).status).toBe(400);
    expect(handler).toHaveBeenCalledTimes(2);
  });
});

describe('cachedHostResolver', () => {
  it('caches found and missing hosts per host name, bounded, with TTL and invalidation', async () => {
    const clock = fakeClock();
    const calls: string[] = [];
    const inner: HostResolver = {
      resolve: async (host) => {
        calls.push(host);
        return host === 'a.example' ? agent() : undefined;
      },
    };
    const cached = cachedHostResolver(inner, { ttlMs: 1000, maxEntries: 2, maxMisses: 1, now: clock.now });
    expect(await cached.resolve('a.example')).toMatchObject({ agentId: 'a1' });
    expect(await cached.resolve('a.example')).toMatchObject({ agentId: 'a1' });
    expect(await cached.resolve('b.example')).toBeUndefined();
    expect(await cached.resolve('b.example')).toBeUndefined();
    expect(calls).toEqual(['a.example', 'b.example']);
    await cached.resolve('c.example');
    expect(cached.size).toBe(2);
    cached.invalidate('b.example');
    await cached.resolve('b.example');
    clock.advance(1001);
    await cached.resolve('c.example');
    expect(calls).toEqual(['a.example', 'b.example', 'c.example', 'b.example', 'c.example']);
  });

  it('past a large cap drops the least recently used eighth at once, and keeps the rest', async () => {
    let calls = 0;
    const inner: HostResolver = {
      resolve: async () => {
        calls++;
        return undefined;
      },
    };
    const cached = cachedHostResolver(inner, { maxMisses: 80 });
    for (let i = 0; i < 1_000; i++) await cached.resolve(`r${i}.evil.example`);
    expect(cached.size).toBeLessThanOrEqual(80);
    expect(cached.size).toBeGreaterThanOrEqual(70);
    // The newest 70 are still cached: asking again reaches the inner resolver for none of them.
    for (let i = 930; i < 1_000; i++) await cached.resolve(`r${i}.evil.example`);
    expect(calls).toBe(1_000);
    await cached.resolve('r0.evil.example');
    expect(calls).toBe(1_001);
  });

  it('keeps misses apart: a flood of unknown hosts never evicts a real agent host', async () => {
    const calls: string[] = [];
    const inner: HostResolver = {
      resolve: async (host) => {
        calls.push(host);
        return host.endsWith('.agents.example') ? agent() : undefined;
      },
    };
    const cached = cachedHostResolver(inner, { maxEntries: 2, maxMisses: 3 });
    await cached.resolve('one.agents.example');
    await cached.resolve('two.agents.example');
    for (let i = 0; i < 100; i++) expect(await cached.resolve(`r${i}.evil.example`)).toBeUndefined();
    expect(cached.size).toBe(5);
    expect(await cached.resolve('one.agents.example')).toMatchObject({ agentId: 'a1' });
    expect(await cached.resolve('two.agents.example')).toMatchObject({ agentId: 'a1' });
    expect(calls.filter((h) => h.endsWith('.agents.example'))).toEqual(['one.agents.example', 'two.agents.example']);
    expect(await cached.resolve('r99.evil.example')).toBeUndefined();
    expect(calls).toHaveLength(102);
    expect(() => cachedHostResolver(inner, { maxMisses: 0 })).toThrow(/maxMisses/);
  });

  it('does not cache failures and shares one in-flight lookup', async () => {
    let n = 0;
    const cached = cachedHostResolver({
      resolve: async () => {
        n++;
        if (n === 1) throw new Error('down');
        return agent();
      },
    });
    await expect(cached.resolve('x.example')).rejects.toThrow('down');
    const [a, b] = await Promise.all([cached.resolve('x.example'), cached.resolve('x.example')]);
    expect(a).toBe(b);
    expect(n).toBe(2);
  });
});

describe('resolveAllowedHostsOptions', () => {
  it.each([
    [{}, /no host is allowed/],
    [{ hosts: ['*.example.com'] }, /dangerouslyAllowSubdomainsOf/],
    [{ hosts: ['http://x.example'] }, /not a host name/],
    [{ dangerouslyAllowSubdomainsOf: ['com'] }, /bare TLD/],
    [{ host: ['x.example'] }, /unknown option "host"/],
    [{ hosts: ['x.example'], probes: { paths: ['/healthz'], from: ['nope'] } }, /probes.from/],
  ])('rejects %j', (options, message) => {
    expect(() => resolveAllowedHostsOptions(options as never)).toThrow(SmarterConfigError);
    expect(() => resolveAllowedHostsOptions(options as never)).toThrow(message);
  });
});
