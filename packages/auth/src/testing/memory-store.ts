import type { Clock, CounterResult, Store } from '@smarter/security';

/** Options of {@link memoryTestStore}. */
export interface MemoryTestStoreOptions {
  /** @default Date.now */
  readonly now?: Clock;
}

/** A memory store that can be made to fail, to test that callers fail closed. */
export interface MemoryTestStore extends Store {
  /** While true, every operation rejects. */
  failing: boolean;
}

/**
 * A minimal, unbounded in-memory {@link Store} for tests only (the production memory store lives in
 * `@smarter/security`). Not for production: it never evicts and is per process.
 */
export function memoryTestStore(options: MemoryTestStoreOptions = {}): MemoryTestStore {
  const now = options.now ?? (() => Date.now());
  const values = new Map<string, { value: string; expiresAt: number }>();
  const live = (key: string) => {
    const entry = values.get(key);
    if (entry && entry.expiresAt <= now()) {
      values.delete(key);
      return undefined;
    }
    return entry;
  };
  const store: MemoryTestStore = {
    failing: false,
    async increment(key, windowMs): Promise<CounterResult> {
      guard();
      const entry = live(key);
      if (!entry) {
        const expiresAt = now() + windowMs;
        values.set(key, { value: '1', expiresAt });
        return { count: 1, resetAt: expiresAt };
      }
      entry.value = String(Number(entry.value) + 1);
      return { count: Number(entry.value), resetAt: entry.expiresAt };
    },
    async get(key) {
      guard();
      return live(key)?.value;
    },
    async set(key, value, ttlMs) {
      guard();
      values.set(key, { value, expiresAt: ttlMs === undefined ? Number.POSITIVE_INFINITY : now() + ttlMs });
    },
    async setIfAbsent(key, value, ttlMs) {
      guard();
      if (live(key)) return false;
      values.set(key, { value, expiresAt: ttlMs === undefined ? Number.POSITIVE_INFINITY : now() + ttlMs });
      return true;
    },
    async delete(key) {
      guard();
      values.delete(key);
    },
  };
  function guard() {
    if (store.failing) throw new Error('store unavailable');
  }
  return store;
}
