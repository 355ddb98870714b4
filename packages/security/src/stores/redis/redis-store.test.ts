import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { SmarterConfigError } from '../../errors/smarter-error.ts';
import { serviceUrl } from '../../testing/services.ts';
import { fakeClock, storeConformance } from '../../testing/store-conformance.ts';
import { redisStore, resolveRedisStoreOptions } from './redis-store.ts';

const url = serviceUrl('REDIS_URL', 'Redis');
const runPrefix = `smarter-test:${Date.now().toString(36)}:${Math.random().toString(36).slice(2)}:`;

if (url) {
  storeConformance('redis', () => {
    const clock = fakeClock();
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    return {
      store: redisStore({ client, prefix: runPrefix, now: clock.now }),
      advance: clock.advance,
      close: async () => {
        const keys = await client.keys(`${runPrefix}*`);
        if (keys.length > 0) await client.del(...keys);
        await client.quit();
      },
    };
  });

  describe('redisStore on a real server', () => {
    it('keeps expiry in the value and lets Redis collect garbage after the window', async () => {
      const client = new Redis(url, { maxRetriesPerRequest: 1 });
      try {
        const store = redisStore({ client, prefix: runPrefix });
        await store.increment('gc', 1000);
        const ttl = await client.pttl(`${runPrefix}gc`);
        expect(ttl).toBeGreaterThan(1000);
        expect(ttl).toBeLessThanOrEqual(61_000);
        await store.set('forever', 'x');
        expect(await client.pttl(`${runPrefix}forever`)).toBe(-1);
      } finally {
        await client.del(`${runPrefix}gc`, `${runPrefix}forever`);
        await client.quit();
      }
    });

    it('recovers when Redis has flushed its script cache', async () => {
      const client = new Redis(url, { maxRetriesPerRequest: 1 });
      try {
        const store = redisStore({ client, prefix: runPrefix });
        await store.set('s', 'v');
        await client.script('FLUSH');
        expect(await store.get('s')).toBe('v');
      } finally {
        await client.del(`${runPrefix}s`);
        await client.quit();
      }
    });
  });
}

describe('redisStore without a server', () => {
  it('rejects every operation when Redis is unreachable, so guards fail closed', async () => {
    const client = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => {});
    const store = redisStore({ client });
    await expect(store.increment('k', 1000)).rejects.toThrow();
    await expect(store.get('k')).rejects.toThrow();
    await expect(store.setIfAbsent('k', 'v')).rejects.toThrow();
    client.disconnect();
  });

  it('validates its options', () => {
    expect(() => resolveRedisStoreOptions({} as never)).toThrow(SmarterConfigError);
    expect(() => resolveRedisStoreOptions({ client: {} } as never)).toThrow(/ioredis client/);
    const client = { eval: async () => 1, evalsha: async () => 1, del: async () => 1 };
    expect(() => resolveRedisStoreOptions({ client, prefix: 'a b' })).toThrow(/prefix/);
    expect(() => resolveRedisStoreOptions({ client, ttl: 1 } as never)).toThrow(/unknown option "ttl"/);
  });
});
