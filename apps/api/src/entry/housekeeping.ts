import type { Store } from '@smarter/security';
import type { Logger } from '../logging/logger.ts';
import { throttled } from '../logging/throttle.ts';

/** A store that keeps expired rows until told to delete them (the SQL store). */
interface PurgingStore extends Store {
  purgeExpired(): Promise<number>;
}

function purges(store: Store): store is PurgingStore {
  return typeof (store as Partial<PurgingStore>).purgeExpired === 'function';
}

/** The store's housekeeping, started by {@link storeHousekeeping}. */
export interface Housekeeping {
  /** Purges now; resolves to the rows deleted (0 for a store that needs no purging, or when it failed). */
  run(): Promise<number>;
  stop(): void;
}

/**
 * Deletes the shared store's expired rows every `intervalMs` on long-running servers. The SQL store keeps them until
 * then (they are already invisible), and every client address adds counters, so without this its table only grows.
 * Stores that expire entries themselves (memory, Redis) need nothing. The timer does not keep the process alive.
 *
 * @example
 * const housekeeping = storeHousekeeping(services.store, logger);
 */
export function storeHousekeeping(store: Store, logger: Logger, intervalMs = 10 * 60_000): Housekeeping {
  if (!purges(store)) return { run: async () => 0, stop() {} };
  const run = async (): Promise<number> => {
    try {
      const deleted = await store.purgeExpired();
      if (deleted > 0) logger.debug('store: expired entries purged', { deleted });
      return deleted;
    } catch {
      logger.warn('store: purging expired entries failed; the next run tries again');
      return 0;
    }
  };
  const timer = setInterval(() => void run(), intervalMs);
  (timer as { unref?: () => void }).unref?.();
  return { run, stop: () => clearInterval(timer) };
}

/**
 * What `buildServices` calls when a journal event could not be written to the database: one log line at most every
 * `everyMs` (a database that is down would otherwise log once per event), with how many were lost since the last.
 */
export function journalFailureLog(logger: Logger, now: () => number = Date.now, everyMs = 60_000): () => void {
  const failed = throttled<undefined>(
    (_, lost) => logger.error('journal: events could not be written to the database (they are in the log)', { lost }),
    everyMs,
    now,
  );
  return () => failed(undefined);
}
