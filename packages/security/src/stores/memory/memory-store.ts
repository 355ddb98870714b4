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

/**
 * One entry. Kept small on purpose (about 40 bytes plus the key): times are stored as milliseconds since the
 * store's creation so they stay small integers (no boxed doubles), and `-1` means "never expires".
 */
class Entry {
  value: string | number;
  expiresAt: number;
  /** Touched since it was last moved to the young end (second-chance eviction). */
  hot: boolean;
  constructor(value: string | number, expiresAt: number) {
    this.value = value;
    this.expiresAt = expiresAt;
    this.hot = false;
  }
}

/** How many touched entries one eviction may move back before it evicts regardless (keeps eviction O(1)). */
const MAX_SECOND_CHANCES = 8;

/**
 * A bounded in-memory {@link Store} (SPEC §20): O(1) per operation, a hard cap on entries, lazy expiry. Eviction is
 * least-recently-used by second chance: a `Map` in insertion order whose oldest entry is evicted unless it was touched
 * since it was last moved, in which case it moves to the young end (at most a few per eviction). Reads never reorder
 * the map, so a hot key costs one hash lookup. Atomic because every operation runs to completion synchronously. For
 * one process only: several instances need a shared store (Redis, SQL).
 *
 * @example
 * const store = memoryStore({ maxEntries: 50_000 });
 */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const { maxEntries, now } = resolveMemoryStoreOptions(options);
  const map = new Map<string, Entry>();
  const base = now();
  const NEVER = -1;
  const rel = () => now() - base;

  function live(key: string, t: number): Entry | undefined {
    const entry = map.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== NEVER && entry.expiresAt <= t) {
      map.delete(key);
      return undefined;
    }
    entry.hot = true;
    return entry;
  }

  function insert(key: string, entry: Entry): void {
    map.delete(key);
    map.set(key, entry);
    if (map.size <= maxEntries) return;
    let chances = 0;
    for (const [oldKey, old] of map) {
      if (old.hot && chances < MAX_SECOND_CHANCES && oldKey !== key) {
        old.hot = false;
        map.delete(oldKey);
        map.set(oldKey, old);
        chances++;
        continue;
      }
      if (oldKey === key) continue;
      map.delete(oldKey);
      return;
    }
  }

  const expiry = (t: number, ttlMs: number | undefined) => (ttlMs === undefined ? NEVER : t + ttlMs);

  return {
    get size() {
      return map.size;
    },
    maxEntries,
    increment(key, windowMs) {
      const t = rel();
      const entry = live(key, t);
      if (entry !== undefined && typeof entry.value === 'number') {
        entry.value += 1;
        return Promise.resolve<CounterResult>({ count: entry.value, resetAt: base + entry.expiresAt });
      }
      const fresh = new Entry(1, t + windowMs);
      insert(key, fresh);
      return Promise.resolve<CounterResult>({ count: 1, resetAt: base + fresh.expiresAt });
    },
    get(key) {
      const entry = live(key, rel());
      return Promise.resolve(entry === undefined ? undefined : String(entry.value));
    },
    set(key, value, ttlMs) {
      insert(key, new Entry(value, expiry(rel(), ttlMs)));
      return Promise.resolve();
    },
    setIfAbsent(key, value, ttlMs) {
      const t = rel();
      if (live(key, t) !== undefined) return Promise.resolve(false);
      insert(key, new Entry(value, expiry(t, ttlMs)));
      return Promise.resolve(true);
    },
    delete(key) {
      map.delete(key);
      return Promise.resolve();
    },
  };
}
