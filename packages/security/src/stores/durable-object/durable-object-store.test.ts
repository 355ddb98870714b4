import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SmarterConfigError } from '../../errors/smarter-error.ts';
import { clientIdentity } from '../../identity/client-identity.ts';
import { rateLimit } from '../../rate-limit/rate-limit.ts';
import type { Store } from '../../store/store.ts';
import { fakeClock, storeConformance } from '../../testing/store-conformance.ts';
import {
  DurableObjectStoreError,
  durableObjectStore,
  resolveDurableObjectStoreOptions,
} from './durable-object-store.ts';
import { keyedShardOf, shardOf } from './shard.ts';
import { GC_DELAY_MS, SWEEP_EVERY_MS } from './store-object.ts';
import type { DurableObjectNamespaceLike } from './workers-types.ts';

// The real store and the real object, in workerd: test/durable-object-worker.ts is bundled (as wrangler would, every
// import inlined) and run by Miniflare, and each store operation below is one request to that Worker.
const worker = fileURLToPath(new URL('../../../test/durable-object-worker.ts', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'smarter-do-store-'));
let mf: Miniflare;

beforeAll(async () => {
  const { build } = await import('tsdown');
  await build({
    config: false,
    entry: { worker },
    outDir: out,
    format: 'esm',
    platform: 'browser',
    dts: false,
    clean: false,
    sourcemap: false,
    logLevel: 'silent',
    noExternal: [/./],
    outExtensions: () => ({ js: '.js' }),
  });
  mf = new Miniflare({
    modules: true,
    scriptPath: join(out, 'worker.js'),
    modulesRoot: out,
    compatibilityDate: '2026-04-01',
    durableObjects: {
      SMARTER_STORE_DO: { className: 'SmarterStoreObject', useSQLite: true },
      INSPECTED_STORE: { className: 'InspectedStoreObject', useSQLite: true },
      // The same class declared under `new_classes` (key-value storage): a misconfiguration it must refuse.
      KV_STORE: { className: 'KeyValueStoreObject', useSQLite: false },
    },
  });
  await mf.ready;
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  rmSync(out, { recursive: true, force: true });
});

interface WorkerAnswer {
  readonly ok: boolean;
  readonly result?: unknown;
  readonly code?: string;
  readonly cause?: string;
}

/** A Store whose every operation runs durableObjectStore inside the Worker, at the time of `now()`. */
function storeInWorker(binding: string, shards: number, now: () => number, shardKey?: string): Store {
  const call = async (op: string, fields: { key: string; value?: string; ttlMs?: number | undefined }) => {
    const body = JSON.stringify({ binding, shards, shardKey, now: now(), ...fields });
    const res = await mf.dispatchFetch(`http://worker.test/${op}`, { method: 'POST', body });
    const answer = (await res.json()) as WorkerAnswer;
    if (!answer.ok) throw new Error(`${answer.code}: ${answer.cause}`);
    return answer.result as never;
  };
  return {
    increment: (key, ttlMs) => call('increment', { key, ttlMs }),
    get: (key) => call('get', { key }),
    set: (key, value, ttlMs) => call('set', { key, value, ttlMs }),
    setIfAbsent: (key, value, ttlMs) => call('setIfAbsent', { key, value, ttlMs }),
    delete: (key) => call('delete', { key }),
  };
}

storeConformance('durable object (workerd, 4 shards)', () => {
  const clock = fakeClock();
  return { store: storeInWorker('SMARTER_STORE_DO', 4, clock.now), advance: clock.advance };
});

storeConformance('durable object (workerd, 4 shards keyed by a secret)', () => {
  const clock = fakeClock();
  return {
    store: storeInWorker('SMARTER_STORE_DO', 4, clock.now, 'a shard secret of some length 0123'),
    advance: clock.advance,
  };
});

storeConformance('durable object (workerd, 1 shard)', () => {
  const clock = fakeClock();
  return { store: storeInWorker('SMARTER_STORE_DO', 1, clock.now), advance: clock.advance };
});

describe('SmarterStoreObject in workerd', () => {
  /** An object of INSPECTED_STORE (by default the one of a one-shard store), reached from here for its test routes. */
  async function inspect(
    path: string,
    object = 'smarter-store:0',
  ): Promise<{ rows: number; bytes: number; alarm: number | null; now: number }> {
    const namespace = await mf.getDurableObjectNamespace('INSPECTED_STORE');
    const stub = namespace.get(namespace.idFromName(object));
    const res = await stub.fetch(`https://smarter-store.invalid${path}`, { method: 'POST' });
    expect(res.status).toBe(200);
    return (await res.json()) as never;
  }

  it('deletes an expired row when it is read, and sweeps the rest by alarm a minute after expiry', async () => {
    const clock = fakeClock();
    const store = storeInWorker('INSPECTED_STORE', 1, clock.now);
    const before = await inspect('/test/stats');
    const startedAt = Date.now();
    await store.set('sweep:text', 'x', 1_000);
    await store.increment('sweep:counter', 1_000);
    await store.set('sweep:read', 'x', 1_000);
    await store.set('sweep:forever', 'x');
    const written = await inspect('/test/stats');
    expect(written.rows).toBe(before.rows + 4);
    // One alarm for all three, on a minute boundary, a minute after they expire (by the object's own clock).
    expect(written.alarm).not.toBeNull();
    expect(written.alarm! % SWEEP_EVERY_MS).toBe(0);
    expect(written.alarm).toBeGreaterThanOrEqual(startedAt + 1_000 + GC_DELAY_MS);
    expect(written.alarm).toBeLessThanOrEqual(Date.now() + 1_000 + GC_DELAY_MS + SWEEP_EVERY_MS);

    clock.advance(1_001);
    expect(await store.get('sweep:read')).toBeUndefined();
    expect((await inspect('/test/stats')).rows).toBe(before.rows + 3); // lazy: the read deleted it

    // An early alarm deletes nothing that is not due yet (expired by the caller's clock is not enough).
    expect((await inspect('/test/sweep?skewMs=0')).rows).toBe(before.rows + 3);
    const swept = await inspect(`/test/sweep?skewMs=${1_000 + GC_DELAY_MS + SWEEP_EVERY_MS}`);
    expect(swept.rows).toBe(before.rows + 1);
    expect(swept.alarm).toBeNull(); // only the row that never expires is left
    expect(await store.get('sweep:forever')).toBe('x');
  });

  it('costs about 45 bytes plus twice the key per entry', async () => {
    const before = await inspect('/test/stats', 'fill');
    const after = await inspect('/test/fill?count=2000&keyLength=20', 'fill');
    expect(after.rows).toBe(before.rows + 2000);
    const perEntry = (after.bytes - before.bytes) / 2000;
    console.log(`durable object store: ${perEntry.toFixed(0)} bytes per entry with 20-character keys`);
    expect(perEntry).toBeGreaterThan(40);
    expect(perEntry).toBeLessThan(160);
  }, 30_000);
});

describe('durableObjectStore fails closed', () => {
  it('rejects with a store error when the object has no SQLite storage (declared under new_classes)', async () => {
    const namespace = (await mf.getDurableObjectNamespace('KV_STORE')) as unknown as DurableObjectNamespaceLike;
    const store = durableObjectStore({ namespace });
    const error = await store.increment('k', 1_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DurableObjectStoreError);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', op: 'increment', shard: expect.any(Number) });
    expect(String((error as Error).cause)).toMatch(/SQL is not enabled/);
  });

  it('a rate limit on a failing object answers 503 and never runs the handler (200 only with failMode open)', async () => {
    const namespace = (await mf.getDurableObjectNamespace('KV_STORE')) as unknown as DurableObjectNamespaceLike;
    const handler = vi.fn();
    const app = (failMode: 'closed' | 'open') => {
      const a = new Hono();
      a.use(clientIdentity({ trustedProxies: ['loopback'], peerAddress: () => '127.0.0.1' }));
      a.use(rateLimit({ name: 'api', store: durableObjectStore({ namespace }), failMode }));
      a.get('/x', (c) => {
        handler();
        return c.text('ok');
      });
      return a;
    };
    const closed = await app('closed').request('/x');
    expect(closed.status).toBe(503);
    expect(await closed.json()).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(handler).not.toHaveBeenCalled();
    expect((await app('open').request('/x')).status).toBe(200);
  });

  it('rejects when the object does not answer in time, and when it answers an error', async () => {
    const hanging: DurableObjectNamespaceLike = {
      idFromName: (name) => name,
      get: () => ({ fetch: () => new Promise<Response>(() => {}) }),
    };
    const slow = durableObjectStore({ namespace: hanging, timeoutMs: 20 });
    await expect(slow.get('k')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', op: 'get' });
    await expect(slow.get('k')).rejects.toThrow(DurableObjectStoreError);

    const failing: DurableObjectNamespaceLike = {
      idFromName: (name) => name,
      get: () => ({ fetch: async () => new Response('overloaded', { status: 500 }) }),
    };
    await expect(durableObjectStore({ namespace: failing }).setIfAbsent('k', 'v')).rejects.toThrow(
      DurableObjectStoreError,
    );
    const garbled: DurableObjectNamespaceLike = {
      idFromName: (name) => name,
      get: () => ({ fetch: async () => Response.json({ count: 'many' }) }),
    };
    await expect(durableObjectStore({ namespace: garbled }).increment('k', 1_000)).rejects.toThrow(
      DurableObjectStoreError,
    );
  });
});

describe('durableObjectStore options', () => {
  const namespace: DurableObjectNamespaceLike = { idFromName: (name) => name, get: () => ({ fetch: fetch }) };

  it('routes every key to the object named after its shard', async () => {
    const names: string[] = [];
    const recording: DurableObjectNamespaceLike = {
      idFromName: (name) => {
        names.push(name);
        return name;
      },
      get: () => ({ fetch: async () => Response.json({ value: null }) }),
    };
    const store = durableObjectStore({ namespace: recording, shards: 1, name: 'tenant-a' });
    await store.get('one');
    await store.get('two');
    expect(names).toEqual(['tenant-a:0']); // ids are made once per shard
  });

  it('with a shardKey, sends each key to the object its keyed hash names, not the public one', async () => {
    const asked: string[] = [];
    const recording: DurableObjectNamespaceLike = {
      idFromName: (name) => name,
      get: (id) => ({
        fetch: async () => {
          asked.push(id as string);
          return Response.json({ value: null });
        },
      }),
    };
    const shardKey = 'a shard secret of some length 0123';
    const store = durableObjectStore({ namespace: recording, shards: 16, shardKey });
    const chooser = keyedShardOf(shardKey, 16);
    const sample = Array.from({ length: 64 }, (_, i) => `rl:api:198.51.100.${i}`);
    for (const key of sample) await store.get(key);
    const expected = await Promise.all(sample.map(async (key) => `smarter-store:${await chooser(key)}`));
    expect(asked).toEqual(expected);
    expect(asked).not.toEqual(sample.map((key) => `smarter-store:${shardOf(key, 16)}`));
    expect(() => resolveDurableObjectStoreOptions({ namespace, shardKey: 'short' })).toThrow(/shardKey/);
    expect(() => resolveDurableObjectStoreOptions({ namespace, shardKey: {} as never })).toThrow(/shardKey/);
    const verifyOnly = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(shardKey),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    expect(() => resolveDurableObjectStoreOptions({ namespace, shardKey: verifyOnly })).toThrow(/shardKey/);
  });

  it('fails closed within timeoutMs when the shard key never arrives', async () => {
    const store = durableObjectStore({ namespace, shardKey: new Promise<CryptoKey>(() => {}), timeoutMs: 50 });
    const error = await store.get('rl:api:203.0.113.7').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DurableObjectStoreError);
    expect((error as DurableObjectStoreError).shard).toBe(-1);
  });

  it('validates its options', () => {
    expect(resolveDurableObjectStoreOptions({ namespace })).toMatchObject({
      shards: 16,
      name: 'smarter-store',
      timeoutMs: 2000,
    });
    expect(() => resolveDurableObjectStoreOptions({} as never)).toThrow(SmarterConfigError);
    expect(() => resolveDurableObjectStoreOptions({ namespace: {} } as never)).toThrow(/namespace binding/);
    expect(() => resolveDurableObjectStoreOptions({ namespace, shards: 0 })).toThrow(/shards/);
    expect(() => resolveDurableObjectStoreOptions({ namespace, shards: 1.5 })).toThrow(/shards/);
    expect(() => resolveDurableObjectStoreOptions({ namespace, shards: 1025 })).toThrow(/shards/);
    expect(() => resolveDurableObjectStoreOptions({ namespace, name: 'has space' })).toThrow(/name/);
    expect(() => resolveDurableObjectStoreOptions({ namespace, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => resolveDurableObjectStoreOptions({ namespace, ttl: 5 } as never)).toThrow(/unknown option "ttl"/);
  });
});
