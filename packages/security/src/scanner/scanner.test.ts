import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { clientIdentity } from '../identity/client-identity.ts';
import { createJournal, memorySink } from '../journal/journal.ts';
import { sensitiveFiles } from '../sensitive/sensitive-files.ts';
import type { Store } from '../store/store.ts';
import { memoryStore } from '../stores/memory/memory-store.ts';
import { remoteStore } from '../testing/remote-store.ts';
import { fakeClock, unavailableStore } from '../testing/store-conformance.ts';
import { createBanList } from './ban-list.ts';
import { excessiveNotFound, resolveExcessiveNotFoundOptions } from './excessive-not-found.ts';

function setup(options: Parameters<typeof excessiveNotFound>[0] = {}) {
  const clock = fakeClock();
  const store = memoryStore({ now: clock.now });
  const bans = createBanList({ store, now: clock.now });
  const sink = memorySink();
  const journal = createJournal({ sinks: [sink] });
  const handler = vi.fn();
  const app = new Hono();
  app.use(clientIdentity({ trustedProxies: ['loopback'], peerAddress: () => '127.0.0.1' }));
  app.use(excessiveNotFound({ store, bans, threshold: 3, journal, ...options }));
  app.get('/ok', (c) => {
    handler();
    return c.json({ ok: true });
  });
  app.get('/private', (c) => c.json({ error: 'no' }, 401));
  app.get('/authed-miss', (c) => c.json({}, 404));
  const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
  return { app, store, bans, clock, sink, handler, from };
}

describe('excessiveNotFound', () => {
  it('bans after the threshold of misses; then every route is refused before routing, with Retry-After', async () => {
    const { app, handler, sink, from, clock } = setup();
    for (let i = 0; i < 3; i++) expect((await app.request(`/nope-${i}`, from('203.0.113.1'))).status).toBe(404);
    const res = await app.request('/ok', from('203.0.113.1'));
    expect(res.status).toBe(403);
    expect(res.headers.get('retry-after')).toBe('600');
    expect(await res.json()).toMatchObject({ code: 'CLIENT_BANNED' });
    expect(handler).not.toHaveBeenCalled();
    expect(sink.events.filter((e) => e.type === 'scanner.banned')).toHaveLength(1);
    expect(sink.events.find((e) => e.type === 'scanner.banned')).toMatchObject({ clientKey: '203.0.113.1' });
    // A normal client is unaffected, and health stays reachable for the banned one.
    expect((await app.request('/ok', from('203.0.113.2'))).status).toBe(200);
    expect((await app.request('/healthz', from('203.0.113.1'))).status).toBe(404);
    clock.advance(600_001);
    expect((await app.request('/ok', from('203.0.113.1'))).status).toBe(200);
  });

  it('does not count benign misses, other statuses, or credentialed requests', async () => {
    const { app, from } = setup({ isCredentialed: (c) => c.req.header('authorization') === 'Token good' });
    for (let i = 0; i < 5; i++) {
      await app.request('/favicon.ico', from('203.0.113.3'));
      await app.request('/apple-touch-icon-120x120.png', from('203.0.113.3'));
      await app.request('/.well-known/whatever', from('203.0.113.3'));
      await app.request('/private', from('203.0.113.3'));
      await app.request('/authed-miss', { headers: { ...from('203.0.113.3').headers, authorization: 'Token good' } });
    }
    expect((await app.request('/ok', from('203.0.113.3'))).status).toBe(200);
  });

  it('never counts exempt clients (monitoring), but counts everyone else', async () => {
    const { app, from } = setup({ exemptClients: ['192.0.2.0/24'] });
    for (let i = 0; i < 5; i++) await app.request(`/miss-${i}`, from('192.0.2.10'));
    expect((await app.request('/ok', from('192.0.2.10'))).status).toBe(200);
    for (let i = 0; i < 3; i++) await app.request(`/miss-${i}`, from('198.51.100.10'));
    expect((await app.request('/ok', from('198.51.100.10'))).status).toBe(403);
  });

  it('counts the optional statuses when configured and can answer bans with 429', async () => {
    const { app, from } = setup({ statuses: [401, 404], banStatus: 429 });
    for (let i = 0; i < 3; i++) await app.request('/private', from('203.0.113.4'));
    const res = await app.request('/ok', from('203.0.113.4'));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('600');
  });

  it('keys IPv6 clients by /64, so rotating addresses inside it does not help', async () => {
    const { app, from } = setup();
    for (let i = 0; i < 3; i++) await app.request(`/x${i}`, from(`2001:db8:1:2::${i + 1}`));
    expect((await app.request('/ok', from('2001:db8:1:2:ffff::9'))).status).toBe(403);
    expect((await app.request('/ok', from('2001:db8:1:3::1'))).status).toBe(200);
  });

  it('shares one ban list with the sensitive-file guard', async () => {
    const clock = fakeClock();
    const store = memoryStore({ now: clock.now });
    const bans = createBanList({ store, now: clock.now });
    const app = new Hono();
    app.use(clientIdentity({ peerAddress: () => '198.51.100.9' }));
    app.use(excessiveNotFound({ store, bans }), sensitiveFiles({ store, bans, threshold: 2 }));
    app.get('/ok', (c) => c.text('ok'));
    await app.request('/.env');
    await app.request('/.git/config');
    expect((await app.request('/ok')).status).toBe(403);
  });

  it('the ban list answers each client for itself when lookups alternate (its last store key is remembered)', async () => {
    const clock = fakeClock();
    const bans = createBanList({ store: memoryStore({ now: clock.now }), now: clock.now });
    const until = await bans.ban('192.0.2.1', 60_000);
    const lookup = bans.lookup as (key: string) => number | undefined;
    expect([lookup('192.0.2.1'), lookup('192.0.2.2'), lookup('192.0.2.1'), lookup('192.0.2.2')]).toEqual([
      until,
      undefined,
      until,
      undefined,
    ]);
  });

  it('samples miss events: the first and then every Nth', async () => {
    const { app, sink, from } = setup({ threshold: 100, sampleEvery: 5 });
    for (let i = 0; i < 10; i++) await app.request(`/m${i}`, from('203.0.113.5'));
    expect(sink.events.filter((e) => e.type === 'scanner.notfound').map((e) => e.details?.['count'])).toEqual([
      1, 5, 10,
    ]);
  });

  it('fails closed with 503 when the store is down', async () => {
    const broken = unavailableStore();
    const { app, handler } = setup({ store: broken, bans: createBanList({ store: broken }) });
    expect((await app.request('/ok')).status).toBe(503);
    expect(handler).not.toHaveBeenCalled();
    const open = setup({ store: broken, bans: createBanList({ store: broken }), failMode: 'open' });
    expect((await open.app.request('/ok')).status).toBe(200);
    expect((await open.app.request('/missing')).status).toBe(404);
  });

  it('fails closed with 503 when the ban itself cannot be stored, and open only when told to', async () => {
    const store = memoryStore();
    const bans = { ...createBanList({ store }), ban: () => Promise.reject(new Error('down')) };
    const { app, sink, from } = setup({ store, bans });
    for (let i = 0; i < 2; i++) expect((await app.request(`/nope-${i}`, from('203.0.113.8'))).status).toBe(404);
    const res = await app.request('/nope-2', from('203.0.113.8'));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(sink.events.find((e) => e.type === 'store.failed')).toMatchObject({
      details: { guard: 'excessiveNotFound' },
    });
    expect(sink.events.some((e) => e.type === 'scanner.banned')).toBe(false);
    const open = setup({ store: memoryStore(), bans, failMode: 'open' });
    for (let i = 0; i < 3; i++) expect((await open.app.request(`/nope-${i}`, from('203.0.113.8'))).status).toBe(404);
    expect(open.sink.events.find((e) => e.type === 'store.failed')).toMatchObject({ reason: 'FAIL_OPEN' });
  });

  it('asks a ban list without an in-process lookup (or a spread copy) through bannedUntil', async () => {
    const store = memoryStore();
    const base = createBanList({ store });
    const custom = { ...base, bannedUntil: async () => Date.now() + 60_000 };
    expect('lookup' in custom).toBe(false);
    const { app, handler } = setup({ store, bans: custom });
    const res = await app.request('/ok');
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'CLIENT_BANNED' });
    expect(handler).not.toHaveBeenCalled();
  });

  it('awaits a store whose reads are thenables but not native promises (no ban taken from the promise object)', async () => {
    const memory = memoryStore();
    const thenable = <T>(value: T) => ({
      // biome-ignore lint/suspicious/noThenProperty: a promise-like from another realm or library
      then: (resolve: (v: T) => unknown) => resolve(value),
    });
    const foreign = {
      increment: (k: string, w: number) => memory.increment(k, w),
      get: (k: string) => thenable(k.includes('203.0.113.9') ? String(Date.now() + 60_000) : undefined),
      set: (k: string, v: string, t?: number) => memory.set(k, v, t),
      setIfAbsent: (k: string, v: string, t?: number) => memory.setIfAbsent(k, v, t),
      delete: (k: string) => memory.delete(k),
    } as unknown as Store;
    const { app, from } = setup({ store: foreign, bans: createBanList({ store: foreign }) });
    expect((await app.request('/ok', from('203.0.113.8'))).status).toBe(200);
    const banned = await app.request('/ok', from('203.0.113.9'));
    expect(banned.status).toBe(403);
    expect(Number(banned.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('resolveExcessiveNotFoundOptions', () => {
  it.each([
    [{ limit: 3 }, /unknown option "limit"/],
    [{ statuses: [500] }, /statuses/],
    [{ banStatus: 404 }, /banStatus/],
    [{ benign: ['/favicon*.ico'] }, /very end/],
    [{ isCredentialed: true }, /function/],
    [{ exemptClients: ['::/0'] }, /turns the scanner ban off/],
    [{ exemptClients: ['office'] }, /exemptClients/],
  ])('rejects %j', (options, message) => {
    expect(() => resolveExcessiveNotFoundOptions(options as never)).toThrow(SmarterConfigError);
    expect(() => resolveExcessiveNotFoundOptions(options as never)).toThrow(message);
  });
});

describe('the ban list on a shared store', () => {
  function sharedBans(localCacheMs?: number) {
    const clock = fakeClock(Date.UTC(2026, 0, 1));
    const shared = memoryStore({ now: clock.now });
    const a = remoteStore(shared);
    const b = remoteStore(shared);
    const options = { now: clock.now, ...(localCacheMs === undefined ? {} : { localCacheMs }) };
    return {
      clock,
      shared,
      a: { ...a, bans: createBanList({ store: a.store, ...options }) },
      b: { ...b, bans: createBanList({ store: b.store, ...options }) },
    };
  }

  it('answers a ban it has seen from memory, at once, for up to localCacheMs, then asks the store again', async () => {
    const { clock, shared, a, b } = sharedBans();
    const until = await b.bans.ban('198.51.100.7', 600_000);
    // The instance that banned knows; another reads it from the store once, then answers itself (no promise).
    expect(b.bans.lookup?.('198.51.100.7')).toBe(until);
    expect(await a.bans.lookup?.('198.51.100.7')).toBe(until);
    for (let i = 0; i < 50; i++) expect(a.bans.lookup?.('198.51.100.7')).toBe(until);
    expect(await a.bans.bannedUntil('198.51.100.7')).toBe(until);
    expect([a.calls.get, b.calls.get]).toEqual([1, 0]);
    // A client not banned is asked about every time: a ban made elsewhere shows on the next request.
    expect(await a.bans.lookup?.('198.51.100.8')).toBeUndefined();
    await b.bans.ban('198.51.100.8', 600_000);
    expect(await a.bans.lookup?.('198.51.100.8')).toBeDefined();
    expect(a.calls.get).toBe(3);
    // A ban lifted in the store early holds here until the local copy is 10 s old.
    await shared.delete('smarter:ban:198.51.100.7');
    clock.advance(9_999);
    expect(a.bans.lookup?.('198.51.100.7')).toBe(until);
    clock.advance(1);
    expect(await a.bans.lookup?.('198.51.100.7')).toBeUndefined();
    expect(a.calls.get).toBe(4);
  });

  it('never outlives the ban itself, and localCacheMs 0 asks the store every time', async () => {
    const { clock, a, b } = sharedBans();
    await b.bans.ban('198.51.100.9', 3_000);
    expect(await a.bans.lookup?.('198.51.100.9')).toBeDefined();
    clock.advance(3_000);
    expect(await a.bans.lookup?.('198.51.100.9')).toBeUndefined();

    const off = sharedBans(0);
    await off.b.bans.ban('198.51.100.10', 600_000);
    for (let i = 0; i < 3; i++) expect(await off.a.bans.lookup?.('198.51.100.10')).toBeDefined();
    expect(off.a.calls.get).toBe(3);
    expect(() => createBanList({ store: off.shared, localCacheMs: -1 })).toThrow(SmarterConfigError);
    expect(() => createBanList({ store: off.shared, localCacheMS: 0 } as never)).toThrow(/localCacheMS/);
  });

  it('is not kept for an in-process store, which is memory already (an early lift shows at once)', async () => {
    const store = memoryStore();
    const bans = createBanList({ store });
    await bans.ban('198.51.100.11', 600_000);
    expect(bans.lookup?.('198.51.100.11')).toBeDefined();
    await store.delete('smarter:ban:198.51.100.11');
    expect(bans.lookup?.('198.51.100.11')).toBeUndefined();
    expect(await bans.bannedUntil('198.51.100.11')).toBeUndefined();
  });
});
