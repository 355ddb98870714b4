import { serviceUrl } from '@smarter/security/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { type StartedApp, startApp } from './runtimes.ts';

// SMARTER_REDIS_URL on every runtime whose entry opens it (Workers count in Durable Objects instead): two instances
// of the app on one Redis share one rate-limit window, as a fleet behind a load balancer must.
const url = serviceUrl('REDIS_URL', 'Redis');

const RUNTIMES = ['node', 'bun', 'deno'] as const;
const LIMIT = 3;

/** A client address of its own per run and runtime, so runs sharing the Redis server never share a counter. */
function clientAddress(): string {
  const n = Math.floor(Math.random() * 0xffffff);
  return `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

if (url) {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  afterAll(async () => {
    await redis.quit();
  });

  describe.each(RUNTIMES)('the Redis store on %s', (runtime) => {
    it('is one rate-limit window for two instances of the app', async () => {
      const env = {
        SMARTER_REDIS_URL: url,
        SMARTER_INSTANCES: '2',
        SMARTER_RATE_LIMIT: `${LIMIT}/60`,
        SMARTER_TRUSTED_PROXIES: 'loopback',
      };
      // Both started, or both stopped: an instance that did start is never left running when the other failed.
      const started = await Promise.allSettled([startApp(runtime, env), startApp(runtime, env)]);
      const apps = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      try {
        const failed = started.find((s) => s.status === 'rejected');
        if (failed) throw failed.reason;
        const [first, second] = apps as [StartedApp, StartedApp];
        const client = clientAddress();
        const get = (app: StartedApp) =>
          fetch(`${app.baseUrl}/api/v1/status`, { headers: { 'x-forwarded-for': client } }).then(async (res) => {
            await res.arrayBuffer();
            return res;
          });

        const answers = [await get(first), await get(second), await get(first)];
        expect(answers.map((res) => res.status)).toEqual([200, 200, 200]);
        // Each instance counted into the same window: the second saw the first's requests.
        expect(answers.map((res) => res.headers.get('ratelimit'))).toEqual([
          expect.stringMatching(/^"api";r=2;t=\d+$/),
          expect.stringMatching(/^"api";r=1;t=\d+$/),
          expect.stringMatching(/^"api";r=0;t=\d+$/),
        ]);
        const refused = await get(second);
        expect(refused.status).toBe(429);
        expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
        // The counter is in Redis under the app's prefix (the store's, then the limiter's), expiring with the window.
        expect(await redis.pttl(`smarter:smarter:rl:api:${client}`)).toBeGreaterThan(0);
      } finally {
        await Promise.all(apps.map((app) => app.stop()));
      }
    });
  });
} else {
  describe('the Redis store on every runtime', () => {
    it('runs only with REDIS_URL (skipped loudly above)', () => {
      expect(url).toBeUndefined();
    });
  });
}
