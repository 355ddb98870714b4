import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { secureHeaders } from '../headers/secure-headers.ts';
import { clientIdentity } from '../identity/client-identity.ts';
import { createJournal, memorySink } from '../journal/journal.ts';
import { memoryStore } from '../stores/memory/memory-store.ts';
import { remoteStore } from '../testing/remote-store.ts';
import { fakeClock, unavailableStore } from '../testing/store-conformance.ts';
import { rateLimit, resolveRateLimitOptions } from './rate-limit.ts';

function setup(options: Parameters<typeof rateLimit>[0] = {}) {
  const clock = fakeClock(Date.UTC(2026, 0, 1, 0, 0, 0));
  const store = memoryStore({ now: clock.now });
  const sink = memorySink();
  const handler = vi.fn();
  const app = new Hono();
  app.use(clientIdentity({ trustedProxies: ['loopback'], peerAddress: () => '127.0.0.1' }));
  app.use(
    rateLimit({
      limit: 2,
      windowMs: 60_000,
      store,
      now: clock.now,
      journal: createJournal({ sinks: [sink] }),
      ...options,
    }),
  );
  app.get('/x', (c) => {
    handler();
    return c.text('ok');
  });
  const from = (ip: string, extra: Record<string, string> = {}) => ({ headers: { 'x-forwarded-for': ip, ...extra } });
  return { app, clock, sink, handler, from };
}

describe('rateLimit', () => {
  it('counts per client in a fixed window, with RateLimit headers, then 429 with Retry-After', async () => {
    const { app, clock, sink, handler, from } = setup();
    const first = await app.request('/x', from('203.0.113.1'));
    expect(first.headers.get('ratelimit-policy')).toBe('"default";q=2;w=60');
    expect(first.headers.get('ratelimit')).toBe('"default";r=1;t=60');
    clock.advance(15_000);
    expect((await app.request('/x', from('203.0.113.1'))).headers.get('ratelimit')).toBe('"default";r=0;t=45');
    const limited = await app.request('/x', from('203.0.113.1'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('45');
    expect(limited.headers.get('content-type')).toBe('application/problem+json');
    expect(await limited.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(handler).toHaveBeenCalledTimes(2);
    expect(sink.events).toHaveLength(1);
    expect(sink.events[0]).toMatchObject({ type: 'ratelimit.exceeded', clientKey: '203.0.113.1', path: '/x' });
    expect((await app.request('/x', from('203.0.113.2'))).status).toBe(200);
    clock.advance(45_000);
    expect((await app.request('/x', from('203.0.113.1'))).status).toBe(200);
  });

  it('keys by a custom key such as the principal, falling back to the client', async () => {
    const { app, from } = setup({ key: (c) => c.req.header('x-user') });
    await app.request('/x', from('203.0.113.1', { 'x-user': 'u1' }));
    await app.request('/x', from('203.0.113.2', { 'x-user': 'u1' }));
    expect((await app.request('/x', from('203.0.113.3', { 'x-user': 'u1' }))).status).toBe(429);
    expect((await app.request('/x', from('203.0.113.3'))).status).toBe(200);
  });

  it('fails closed with 503 when the store fails, open when told to', async () => {
    const broken = unavailableStore();
    const closed = setup({ store: broken });
    expect((await closed.app.request('/x')).status).toBe(503);
    expect(closed.handler).not.toHaveBeenCalled();
    const open = setup({ store: broken, failMode: 'open' });
    const res = await open.app.request('/x');
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit')).toBeNull();
  });

  it('validates its options', () => {
    expect(() => resolveRateLimitOptions({ max: 5 } as never)).toThrow(/unknown option "max"/);
    expect(() => resolveRateLimitOptions({ name: 'Has Spaces' })).toThrow(SmarterConfigError);
    expect(() => resolveRateLimitOptions({ windowMs: 10 })).toThrow(/at least 1000/);
    expect(() => resolveRateLimitOptions({ key: 'user' as never })).toThrow(/key/);
    expect(resolveRateLimitOptions({ name: 'login', limit: 10, windowMs: 900_000 }).policy).toBe('"login";q=10;w=900');
  });
});

describe('rateLimit under secureHeaders', () => {
  it('puts its headers on fast-path JSON answers and on other responses alike', async () => {
    const app = new Hono();
    app.use(secureHeaders());
    app.use(clientIdentity({ peerAddress: () => '203.0.113.1' }));
    app.use(rateLimit({ limit: 5, windowMs: 60_000, store: memoryStore() }));
    app.get('/json', (c) => c.json({ ok: true }));
    app.get('/text', (c) => c.text('ok'));
    const json = await app.request('/json');
    expect(json.headers.get('ratelimit')).toMatch(/^"default";r=4;t=\d+$/);
    expect(json.headers.get('ratelimit-policy')).toBe('"default";q=5;w=60');
    expect(json.headers.get('x-content-type-options')).toBe('nosniff');
    const text = await app.request('/text');
    expect(text.headers.get('ratelimit')).toMatch(/^"default";r=3;t=\d+$/);
  });
});

describe('rateLimit on a shared store', () => {
  it('refuses a client past its limit from memory until the window ends, then counts again', async () => {
    const clock = fakeClock(Date.UTC(2026, 0, 1, 0, 0, 0));
    const shared = memoryStore({ now: clock.now });
    const { store, calls } = remoteStore(shared);
    const app = new Hono();
    app.use(clientIdentity({ trustedProxies: ['loopback'], peerAddress: () => '127.0.0.1' }));
    app.use(rateLimit({ limit: 2, windowMs: 60_000, store, now: clock.now }));
    app.get('/x', (c) => c.text('ok'));
    const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });

    expect((await app.request('/x', from('203.0.113.1'))).status).toBe(200);
    expect((await app.request('/x', from('203.0.113.1'))).status).toBe(200);
    expect((await app.request('/x', from('203.0.113.1'))).status).toBe(429);
    expect(calls.increment).toBe(3);
    clock.advance(20_000);
    for (let i = 0; i < 20; i++) {
      const refused = await app.request('/x', from('203.0.113.1'));
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('40');
      expect(refused.headers.get('ratelimit')).toBe('"default";r=0;t=40');
    }
    // The flood cost the store nothing more; another client is still counted there.
    expect(calls.increment).toBe(3);
    expect((await app.request('/x', from('203.0.113.2'))).status).toBe(200);
    expect(calls.increment).toBe(4);
    clock.advance(40_000);
    expect((await app.request('/x', from('203.0.113.1'))).status).toBe(200);
    expect(calls.increment).toBe(5);
  });

  it('journals a flood past the limit sampled, and never remembers a refusal past one window of its own clock', async () => {
    const clock = fakeClock(Date.UTC(2026, 0, 1, 0, 0, 0));
    // The store's clock runs ten minutes ahead of the limiter's: its window ends seem far away.
    const ahead = fakeClock(Date.UTC(2026, 0, 1, 0, 10, 0));
    const { store, calls } = remoteStore(memoryStore({ now: ahead.now }));
    const sink = memorySink();
    const app = new Hono();
    app.use(clientIdentity({ trustedProxies: ['loopback'], peerAddress: () => '127.0.0.1' }));
    app.use(
      rateLimit({ limit: 1, windowMs: 60_000, store, now: clock.now, journal: createJournal({ sinks: [sink] }) }),
    );
    app.get('/x', (c) => c.text('ok'));
    const from = { headers: { 'x-forwarded-for': '203.0.113.7' } };
    expect((await app.request('/x', from)).status).toBe(200);
    for (let i = 0; i < 150; i++) expect((await app.request('/x', from)).status).toBe(429);
    // One refusal counted by the store, 149 from memory: the counted one, and the 1st and 101st from memory.
    expect(calls.increment).toBe(2);
    expect(sink.events.map((e) => e.details)).toEqual([
      { policy: 'default', count: 2, sampledOneIn: 100 },
      { policy: 'default', sampledOneIn: 100 },
      { policy: 'default', sampledOneIn: 100 },
    ]);
    // One window of the limiter's clock later the store is asked again, whatever its own clock made of the window.
    clock.advance(60_000);
    expect((await app.request('/x', from)).status).toBe(429);
    expect(calls.increment).toBe(3);
  });

  it('journals refusals counted by an in-process store as the first in a window and every 100th after it', async () => {
    const { app, sink, from } = setup({ limit: 1 });
    for (let i = 0; i < 203; i++) await app.request('/x', from('203.0.113.8'));
    expect(sink.events.map((e) => e.details?.['count'])).toEqual([2, 102, 202]);
  });

  it('asks an in-process store every time (a reset there shows at once)', async () => {
    const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
    const store = memoryStore();
    const local = new Hono();
    local.use(clientIdentity({ trustedProxies: ['loopback'], peerAddress: () => '127.0.0.1' }));
    local.use(rateLimit({ limit: 1, windowMs: 60_000, store }));
    local.get('/x', (c) => c.text('ok'));
    expect((await local.request('/x', from('203.0.113.9'))).status).toBe(200);
    expect((await local.request('/x', from('203.0.113.9'))).status).toBe(429);
    await store.delete('smarter:rl:default:203.0.113.9');
    expect((await local.request('/x', from('203.0.113.9'))).status).toBe(200);
  });
});
