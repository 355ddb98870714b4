import { SmarterConfigError } from '../../errors/smarter-error.ts';
import { rejectUnknownOptions } from '../../internal/guard.ts';
import type { Clock, CounterResult, Store } from '../../store/store.ts';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Hard cap on entries; the least recently used entry is evicted past it. Measured cost on Node 20: about
   * 150 bytes per entry with 20-character keys (see `bench/memory-store.ts`), so the default is ~15 MB at most.
   * @default 100_000
   */
  readonly maxEntries?: number;
  /** Clock for windows and TTLs (inject one in tests instead of sleeping). @default Date.now */
  readonly now?: Clock;
}

/** A {@link Store} that keeps everything in this process, with a size gauge. */
export interface MemoryStore extends Store {
  /** Entries currently held (expired ones included until touched or evicted). */
  readonly size: number;
  /** The configured cap. */
  readonly maxEntries: number;
}

/** {@link MemoryStoreOptions} after validation. */
export interface ResolvedMemoryStoreOptions {
  readonly maxEntries: number;
  readonly now: Clock;
}

/** Validates {@link MemoryStoreOptions}. */
export function resolveMemoryStoreOptions(options: MemoryStoreOptions = {}): ResolvedMemoryStoreOptions {
  rejectUnknownOptions('memoryStore', options, ['maxEntries', 'now']);
  const max = options.maxEntries ?? 100_000;
  if (!Number.isInteger(max) || max < 1 || max > 50_000_000) {
    throw new SmarterConfigError('memoryStore: maxEntries must be an integer from 1 to 50,000,000 (default 100,000).');
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw new SmarterConfigError('memoryStore: now must be a function returning epoch milliseconds.');
  }
  return { maxEntries: max, now: options.now ?? Date.now };
}

interface Entry {
  /** A string value, or a counter. */
  value: string | number;
  /** Epoch ms; Infinity for no expiry. */
  expiresAt: number;
}

/**
 * A bounded in-memory {@link Store} (SPEC §20): O(1) per operation (a `Map` in recency order: touching an entry
 * re-inserts it, eviction drops the oldest), a hard cap on entries, lazy expiry. Atomic because every operation runs
 * to completion synchronously. For one process only: several instances need a shared store (Redis, SQL).
 *
 * @example
 * const store = memoryStore({ maxEntries: 50_000 });
 */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const { maxEntries, now } = resolveMemoryStoreOptions(options);
  const map = new Map<string, Entry>();

  function live(key: string, t: number): Entry | undefined {
    const entry = map.get(key);
    if (entry === undefined) return undefined;
    map.delete(key);
    if (entry.expiresAt <= t) return undefined;
    map.set(key, entry);
    return entry;
  }

  function insert(key: string, entry: Entry): void {
    map.delete(key);
    map.set(key, entry);
    if (map.size > maxEntries) {
      const oldest = map.keys().next();
      if (!oldest.done) map.delete(oldest.value);
    }
  }

  const expiry = (t: number, ttlMs: number | undefined) => (ttlMs === undefined ? Number.POSITIVE_INFINITY : t + ttlMs);

  return {
    get size() {
      return map.size;
    },
    maxEntries,
    increment(key, windowMs) {
      const t = now();
      const entry = live(key, t);
      if (entry !== undefined && typeof entry.value === 'number') {
        entry.value += 1;
        return Promise.resolve<CounterResult>({ count: entry.value, resetAt: entry.expiresAt });
      }
      const fresh: Entry = { value: 1, expiresAt: t + windowMs };
      insert(key, fresh);
      return Promise.resolve<CounterResult>({ count: 1, resetAt: fresh.expiresAt });
    },
    get(key) {
      const entry = live(key, now());
      return Promise.resolve(entry === undefined ? undefined : String(entry.value));
    },
    set(key, value, ttlMs) {
      const t = now();
      insert(key, { value, expiresAt: expiry(t, ttlMs) });
      return Promise.resolve();
    },
    setIfAbsent(key, value, ttlMs) {
      const t = now();
      if (live(key, t) !== undefined) return Promise.resolve(false);
      insert(key, { value, expiresAt: expiry(t, ttlMs) });
      return Promise.resolve(true);
    },
    delete(key) {
      map.delete(key);
      return Promise.resolve();
    },
  };
}
