import { pbkdf2Engine } from '@smarter/auth';
import { migrate } from '@smarter/data';
import { openBetterSqlite } from '@smarter/data/better-sqlite3';
import { isSmarterError, Secret } from '@smarter/security';
import { serviceUrl } from '@smarter/security/testing';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { buildServices } from '../services.ts';
import { openRedisStore } from './redis.ts';
import { startApp } from './start.ts';

const KEYS = 'k1:0123456789abcdef0123456789abcdef0123456789';

describe('the Redis store of the reference server', () => {
  it('refuses to start when Redis does not answer, without printing the URL', async () => {
    const error = await openRedisStore(new Secret('redis://:hunter2@127.0.0.1:1')).catch((e: unknown) => e);
    expect(isSmarterError(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/SMARTER_REDIS_URL/);
    expect(String((error as Error).message)).not.toContain('hunter2');
  });

  it('is never silently replaced by another store', () => {
    const config = loadConfig({
      SMARTER_ENV: 'test',
      SMARTER_SECRET_KEYS: KEYS,
      SMARTER_REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(config.store.kind).toBe('redis');
    expect(() => buildServices({ config, db: openBetterSqlite(':memory:') })).toThrow(/SMARTER_STORE=redis/);
  });

  const url = serviceUrl('REDIS_URL', 'Redis');
  if (url) {
    it('is what startApp counts in when SMARTER_REDIS_URL is set, shared with every other instance', async () => {
      const db = openBetterSqlite(':memory:');
      await migrate(db);
      const config = loadConfig({ SMARTER_ENV: 'test', SMARTER_SECRET_KEYS: KEYS, SMARTER_REDIS_URL: url });
      const { services, close } = await startApp({ config, db, passwordEngine: pbkdf2Engine({ iterations: 10_000 }) });
      const key = `redis-wiring-test:${Date.now().toString(36)}:${Math.random().toString(36).slice(2)}`;
      const other = new Redis(url, { maxRetriesPerRequest: 1 });
      try {
        expect((await services.store.increment(key, 60_000)).count).toBe(1);
        expect((await services.store.increment(key, 60_000)).count).toBe(2);
        // Another instance sees the same counter: it is in Redis under the app's prefix.
        expect(await other.exists(`smarter:${key}`)).toBe(1);
        const second = await openRedisStore(new Secret(url));
        expect((await second.store.increment(key, 60_000)).count).toBe(3);
        await second.close();
      } finally {
        await other.del(`smarter:${key}`);
        await other.quit();
        await close();
        await db.close();
      }
    });
  }
});
