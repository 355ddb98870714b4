import { SmarterConfigError } from '../errors/smarter-error.ts';
import { expiryCache } from '../internal/expiry-cache.ts';
import { rejectUnknownOptions } from '../internal/guard.ts';
import { rememberLast } from '../internal/remember-last.ts';
import { compilePathPatterns, type PathPatternMatcher } from '../path/patterns.ts';
import type { Clock, Store } from '../store/store.ts';

/** Options of {@link createBanList}. */
export interface BanListOptions {
  /** Where bans live; share it across instances (Redis, SQL) so a ban holds everywhere. */
  readonly store: Store;
  /** Key prefix in the store. @default 'smarter:ban:' */
  readonly prefix?: string;
  /** Canonical paths a banned client may still reach (health checks). @default ['/healthz', '/readyz', '/livez'] */
  readonly exemptPaths?: readonly string[];
  /** Clock used for `Retry-After`; give it the store's clock. @default Date.now */
  readonly now?: Clock;
  /**
   * With a shared store (Redis, SQL, Durable Objects): how long this process answers a ban it has seen from memory
   * before asking the store again, so a banned client flooding one instance costs that instance no store round trip
   * per request (and its Redis, database or Durable Object shard nothing). A ban lifted in the store early (by
   * deleting its key) still holds here for up to this long. 0 asks the store every time; an in-process store is
   * always asked (it is memory already).
   * @default 10_000
   */
  readonly localCacheMs?: number;
}

/** Bans this process remembers at most (about 150 bytes each). */
const LOCAL_BANS = 10_000;

/**
 * One ban list shared by the sensitive-file guard (SPEC §3) and the scanner ban (SPEC §4): a ban from either holds
 * on every route but the exempt ones.
 */
export interface BanList {
  /** Epoch ms when the client's ban ends, or undefined when it is not banned. Rejects when the store fails. */
  bannedUntil(key: string): Promise<number | undefined>;
  /**
   * {@link BanList.bannedUntil}, synchronous when the store answers in-process (see `Store.getNow`). Optional, and
   * not enumerable on the lists `createBanList` makes: a list without it (or a spread copy that overrides
   * `bannedUntil`) is asked through `bannedUntil`.
   */
  readonly lookup?: (key: string) => number | undefined | Promise<number | undefined>;
  /** Bans a client for `durationMs`. Rejects when the store fails. */
  ban(key: string, durationMs: number): Promise<number>;
  /** True for paths that stay reachable while banned. */
  readonly isExempt: PathPatternMatcher;
  /** The list's clock. */
  readonly now: Clock;
}

/**
 * Creates the shared ban list over a {@link Store}.
 *
 * @example
 * const bans = createBanList({ store });
 * app.use(sensitiveFiles({ store, bans }), excessiveNotFound({ store, bans }));
 */
export function createBanList(options: BanListOptions): BanList {
  if (options === null || typeof options !== 'object' || typeof options.store?.get !== 'function') {
    throw new SmarterConfigError('createBanList: pass { store } (memoryStore() or a shared store).');
  }
  rejectUnknownOptions('createBanList', options, ['store', 'prefix', 'exemptPaths', 'now', 'localCacheMs']);
  const { store } = options;
  const prefix = options.prefix ?? 'smarter:ban:';
  const now = options.now ?? Date.now;
  const isExempt = compilePathPatterns('exemptPaths', options.exemptPaths ?? ['/healthz', '/readyz', '/livez']);
  const localMs = options.localCacheMs ?? 10_000;
  if (!Number.isInteger(localMs) || localMs < 0 || localMs > 600_000) {
    throw new SmarterConfigError('createBanList: localCacheMs must be an integer from 0 to 600,000 (default 10,000).');
  }
  const local = typeof store.getNow !== 'function' && localMs > 0 ? expiryCache(LOCAL_BANS) : undefined;
  const untilOf = (value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    const until = Number(value);
    // A corrupt entry still means banned: fail closed for the rest of a default ban.
    return Number.isFinite(until) ? until : now() + 600_000;
  };
  /** A ban read from the store (or just made): remembered here for `localMs` at most. */
  const seen = (key: string, until: number | undefined): number | undefined => {
    if (until !== undefined && local) {
      const at = now();
      local.remember(key, until, Math.min(until, at + localMs), at);
    }
    return until;
  };
  const list: BanList = {
    isExempt,
    now,
    async bannedUntil(key) {
      const known = local?.get(key, now());
      if (known !== undefined) return known;
      return seen(key, untilOf(await store.get(prefix + key)));
    },
    async ban(key, durationMs) {
      const until = now() + durationMs;
      await store.set(prefix + key, String(until), durationMs);
      return seen(key, until) as number;
    },
  };
  // Every request of a connection asks about the same client: keep its store key (one flat string, not a new
  // concatenation for the store to flatten on each request).
  const storeKey = rememberLast((key: string): string => prefix + key);
  // Not enumerable (see BanList.lookup). Without an in-process read, the promise is a native one whatever `get` returns.
  Object.defineProperty(list, 'lookup', {
    enumerable: false,
    value:
      typeof store.getNow === 'function'
        ? function lookup(key: string): number | undefined {
            return untilOf((store.getNow as (k: string) => string | undefined).call(store, storeKey(key)));
          }
        : function lookup(key: string): number | undefined | Promise<number | undefined> {
            // A ban this process has seen answers at once, without a promise or a round trip.
            const known = local?.get(key, now());
            if (known !== undefined) return known;
            return Promise.resolve(store.get(prefix + key)).then((value) => seen(key, untilOf(value)));
          },
  });
  return list;
}
