import { type Secret, SmarterConfigError, type Store } from '@smarter/security';
import { redisStore } from '@smarter/security/stores/redis';

/** The shared store on Redis and how to close its connection. */
export interface RedisConnection {
  readonly store: Store;
  close(): Promise<void>;
}

/**
 * Connects to `SMARTER_REDIS_URL` and returns the Redis store (Node, Bun, Deno). The client fails fast (one retry, no
 * offline queue), so an outage turns into quick 503s from the guards rather than hanging requests. A server that
 * cannot be reached at start refuses to start; the error never prints the URL (it may hold a password).
 *
 * @example
 * const { store } = await openRedisStore(config.redisUrl);
 */
export async function openRedisStore(url: Secret, prefix = 'smarter:'): Promise<RedisConnection> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url.reveal(), {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 5000,
  });
  // A refused connection is reported by connect(); the client's own error events must not crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } catch {
    client.disconnect();
    throw new SmarterConfigError('SMARTER_REDIS_URL: Redis did not answer; check the address and that it is running.');
  }
  return {
    store: redisStore({ client, prefix }),
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
