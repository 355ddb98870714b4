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
  const running: StartedApp[] = [];
  afterAll(async () => {
    await Promise.all(running.map((app) => app.stop()));
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
      const [first, second] = await Promise.all([startApp(runtime, env), startApp(runtime, env)]);
      running.push(first!, second!);
      const client = clientAddress();
      const get = (app: StartedApp) =>
        fetch(`${app.baseUrl}/api/v1/status`, { headers: { 'x-forwarded-for': client } }).then(async (res) => {
          await res.arrayBuffer();
          return res;
        });

      const answers = [await get(first!), await get(second!), await get(first!)];
      expect(answers.map((res) => res.status)).toEqual([200, 200, 200]);
      // Each instance counted into the same window: the second saw the first's requests.
      expect(answers.map((res) => res.headers.get('ratelimit'))).toEqual([
        expect.stringMatching(/^"api";r=2;t=\d+$/),
        expect.stringMatching(/^"api";r=1;t=\d+$/),
        expect.stringMatching(/^"api";r=0;t=\d+$/),
      ]);
      const refused = await get(second!);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      // The counter is in Redis under the app's prefix, with the window as its expiry.
      const keys = await redis.keys(`smarter:smarter:rl:api:*${client}*`);
      expect(keys).toHaveLength(1);
      expect(await redis.pttl(keys[0]!)).toBeGreaterThan(0);
      expect(first!.output() + second!.output()).not.toContain(url);
    });
  });
} else {
  describe('the Redis store on every runtime', () => {
    it('runs only with REDIS_URL (skipped loudly above)', () => {
      expect(url).toBeUndefined();
    });
  });
}
