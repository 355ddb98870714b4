import { SmarterConfigError } from '../../errors/smarter-error.ts';
import { rejectUnknownOptions } from '../../internal/guard.ts';
import type { Clock, CounterResult, Store } from '../../store/store.ts';
import { FingerprintTable, NEVER } from './fingerprint-table.ts';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Hard cap on entries; past it an eviction removes an entry, drawn at random, not used since its reference bit was
   * last cleared. Memory is allocated
   * up front, whatever the key length: 32 bytes per slot, 1.25–2.5 slots per entry (4.2 MB for the default cap,
   * 67 MB for a million; see `bench/memory-store.ts`), plus the text of entries holding text (bans, markers).
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

/**
 * A bounded in-memory {@link Store} (SPEC §20): O(1) per operation, a hard cap on entries, lazy expiry. Keys are held
 * as seeded 64-bit fingerprints in flat typed arrays (see {@link FingerprintTable}), so the cost per operation stays
 * nearly flat from a thousand keys to millions and the heap holds no per-entry objects. Eviction is CLOCK at random
 * slots (an approximation of least-recently-used): a read only sets the entry's reference bit, and when the store is
 * full an eviction draws entries uniformly, clearing set bits, until it meets one not used since its bit was last
 * cleared. Uniform draws keep the table evenly loaded under any stream of keys, so a flood of new clients never
 * makes operations slower (a sweeping hand did: 200-400 µs an operation once the table had turned over). Atomic because every
 * operation runs to completion synchronously. For one process only: several instances need a shared store (Redis,
 * SQL).
 *
 * @example
 * const store = memoryStore({ maxEntries: 50_000 });
 */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const { maxEntries, now } = resolveMemoryStoreOptions(options);
  const table = new FingerprintTable(maxEntries);
  // Times are milliseconds since the store's creation.
  const base = now();
  const rel = () => now() - base;
  const expiry = (t: number, ttlMs: number | undefined) => (ttlMs === undefined ? NEVER : t + ttlMs);

  function put(key: string, value: string | number, expiresAt: number, t: number): number {
    const slot = table.find(key, t);
    if (slot === -1) return table.insertFound(value, expiresAt);
    table.write(slot, value, expiresAt);
    return slot;
  }

  const store: MemoryStore = {
    get size() {
      return table.size;
    },
    maxEntries,
    increment(key, windowMs) {
      const t = rel();
      const slot = table.find(key, t);
      if (slot !== -1 && table.count(slot) !== undefined) {
        return Promise.resolve<CounterResult>({ count: table.bump(slot), resetAt: base + table.expiresAt(slot) });
      }
      const resetAt = t + windowMs;
      if (slot === -1) table.insertFound(1, resetAt);
      else table.write(slot, 1, resetAt); // the key held text: it becomes a counter
      return Promise.resolve<CounterResult>({ count: 1, resetAt: base + resetAt });
    },
    get(key) {
      const slot = table.find(key, rel());
      return Promise.resolve(slot === -1 ? undefined : table.text(slot));
    },
    set(key, value, ttlMs) {
      const t = rel();
      put(key, value, expiry(t, ttlMs), t);
      return Promise.resolve();
    },
    setIfAbsent(key, value, ttlMs) {
      const t = rel();
      if (table.find(key, t) !== -1) return Promise.resolve(false);
      table.insertFound(value, expiry(t, ttlMs));
      return Promise.resolve(true);
    },
    delete(key) {
      table.delete(key);
      return Promise.resolve();
    },
  };
  // Not enumerable: a wrapper built by spreading this store (`{ ...store, get: custom }`) must not keep a
  // synchronous read that bypasses its own `get`; it then takes the asynchronous path.
  Object.defineProperty(store, 'getNow', {
    enumerable: false,
    value: function getNow(key: string): string | undefined {
      const slot = table.find(key, rel());
      return slot === -1 ? undefined : table.text(slot);
    },
  });
  return store;
}
