import { SmarterConfigError } from '../errors/smarter-error.ts';
import type { Clock } from '../store/store.ts';
import type { HostResolution, HostResolver } from './resolver.ts';

/** Options of {@link cachedHostResolver}. */
export interface CachedHostResolverOptions {
  /** How long an answer (found or not) is reused. @default 30_000 */
  readonly ttlMs?: number;
  /** Hard cap on cached host names that resolved to an agent (least recently used evicted). @default 10_000 */
  readonly maxEntries?: number;
  /**
   * Hard cap on cached names that resolved to nothing, kept apart so that a flood of random Host names evicts
   * only other misses, never a real agent's entry. @default 10_000
   */
  readonly maxMisses?: number;
  /** Clock. @default Date.now */
  readonly now?: Clock;
}

/** A {@link HostResolver} with a bounded, host-keyed cache that can be invalidated when an agent changes. */
export interface CachedHostResolver extends HostResolver {
  /** Forgets one host (call it when an agent is deployed, undeployed, renamed or its domain verified). */
  invalidate(host: string): void;
  /** Forgets everything. */
  clear(): void;
  /** Cached host names right now. */
  readonly size: number;
}

interface Cached {
  readonly value: HostResolution | undefined;
  readonly expiresAt: number;
}

/**
 * Wraps a resolver with a bounded LRU + TTL cache keyed by canonical host name only (SPEC §5; never by anything
 * another request could share). Misses are cached too, in a cache of their own, so a flood of random hosts costs one
 * lookup each per TTL, never more than `maxMisses` of memory, and never pushes out a real agent's host. Failures are
 * not cached: the next request asks again.
 *
 * @example
 * const hosts = cachedHostResolver(agentHostResolver(db), { ttlMs: 30_000 });
 */
export function cachedHostResolver(
  resolver: HostResolver,
  options: CachedHostResolverOptions = {},
): CachedHostResolver {
  if (typeof resolver?.resolve !== 'function') {
    throw new SmarterConfigError('cachedHostResolver: pass a HostResolver ({ resolve(host) }).');
  }
  const ttlMs = options.ttlMs ?? 30_000;
  const max = options.maxEntries ?? 10_000;
  const maxMisses = options.maxMisses ?? 10_000;
  if (!Number.isInteger(ttlMs) || ttlMs < 0 || ttlMs > 3_600_000) {
    throw new SmarterConfigError('cachedHostResolver: ttlMs must be an integer from 0 to 3,600,000 (default 30,000).');
  }
  if (!Number.isInteger(max) || max < 1) {
    throw new SmarterConfigError('cachedHostResolver: maxEntries must be a positive integer (default 10,000).');
  }
  if (!Number.isInteger(maxMisses) || maxMisses < 1) {
    throw new SmarterConfigError('cachedHostResolver: maxMisses must be a positive integer (default 10,000).');
  }
  const now = options.now ?? Date.now;
  const cache = new Map<string, Cached>();
  const misses = new Map<string, Cached>();
  const pending = new Map<string, Promise<HostResolution | undefined>>();
  // Bumped on invalidation, so a lookup that started before it never caches a stale answer.
  let generation = 0;
  return {
    get size() {
      return cache.size + misses.size;
    },
    invalidate(host) {
      generation++;
      cache.delete(host.toLowerCase());
      misses.delete(host.toLowerCase());
      pending.delete(host.toLowerCase());
    },
    clear() {
      generation++;
      cache.clear();
      misses.clear();
      pending.clear();
    },
    async resolve(host) {
      const t = now();
      const hit = fresh(cache, host, t) ?? fresh(misses, host, t);
      if (hit !== undefined) return hit.value;
      // Concurrent requests for one host share one lookup.
      const inflight = pending.get(host);
      if (inflight !== undefined) return inflight;
      const started = generation;
      const lookup = resolver.resolve(host).then(
        (value) => {
          if (pending.get(host) === lookup) pending.delete(host);
          if (ttlMs > 0 && started === generation) {
            if (value === undefined) remember(misses, maxMisses, host, { value, expiresAt: now() + ttlMs });
            else remember(cache, max, host, { value, expiresAt: now() + ttlMs });
          }
          return value;
        },
        (error: unknown) => {
          if (pending.get(host) === lookup) pending.delete(host);
          throw error;
        },
      );
      pending.set(host, lookup);
      return lookup;
    },
  };
}

/** The unexpired entry for `host`, made the most recently used; an expired one is dropped. */
function fresh(cache: Map<string, Cached>, host: string, t: number): Cached | undefined {
  const hit = cache.get(host);
  if (hit === undefined) return undefined;
  cache.delete(host);
  if (hit.expiresAt <= t) return undefined;
  cache.set(host, hit);
  return hit;
}

/**
 * Caches an answer; past `max`, drops the least recently used entries in one pass (an eighth of the cache). One entry at a time through
 * `keys().next()` cost more the longer it ran: V8 leaves deleted entries at a map's front until the map is rebuilt,
 * and every eviction walked past them again (measured: 8.4 µs a miss at the default 10,000 once a stream of random
 * hosts had turned the cache over, against 2.7 µs while filling it).
 */
function remember(cache: Map<string, Cached>, max: number, host: string, entry: Cached): void {
  cache.set(host, entry);
  // One entry for a small cache, an eighth of a large one (at 8 and up).
  if (cache.size > max) trimOldest(cache, max + 1 - Math.max(1, max >>> 3));
}

/** Deletes a map's oldest keys (first in insertion order) until `keep` are left, in one pass. */
function trimOldest(cache: Map<string, unknown>, keep: number): void {
  for (const key of cache.keys()) {
    if (cache.size <= keep) return;
    cache.delete(key);
  }
}
