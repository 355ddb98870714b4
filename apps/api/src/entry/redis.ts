import { type Secret, SmarterConfigError, type Store } from '@smarter/security';
import { redisStore } from '@smarter/security/stores/redis';
import type { Logger } from '../logging/logger.ts';
import { throttled } from '../logging/throttle.ts';

/** The shared store on Redis and how to close its connection. */
export interface RedisConnection {
  readonly store: Store;
  close(): Promise<void>;
}

/** Options of {@link openRedisStore}. */
export interface OpenRedisStoreOptions {
  /** Key prefix. @default 'smarter:' */
  readonly prefix?: string;
  /** Where connection errors are reported, at most once a minute (the guards answer 503 meanwhile). */
  readonly logger?: Logger;
}

/**
 * Connects to `SMARTER_REDIS_URL` and returns the Redis store (Node, Bun, Deno). The client fails fast (one retry, no
 * offline queue), so an outage turns into quick 503s from the guards rather than hanging requests. A server that
 * cannot be reached at start refuses to start; the error never prints the URL (it may hold a password).
 *
 * @example
 * const { store } = await openRedisStore(config.redisUrl);
 */
export async function openRedisStore(url: Secret, options: OpenRedisStoreOptions = {}): Promise<RedisConnection> {
  const prefix = options.prefix ?? 'smarter:';
  const { Redis } = await import('ioredis');
  const client = new Redis(url.reveal(), {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 5000,
  });
  // The client's error events must not crash the process; they are logged (without the URL), once a minute at most.
  const logger = options.logger;
  const connectionError = throttled<unknown>((error) => {
    const code = (error as { code?: unknown } | null)?.code;
    logger?.warn('redis: connection error; guards that need the store answer 503 until it is back', {
      ...(typeof code === 'string' ? { code } : {}),
    });
  });
  client.on('error', connectionError);
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
