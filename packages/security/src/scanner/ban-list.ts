import { SmarterConfigError } from '../errors/smarter-error.ts';
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
}

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
  const { store } = options;
  const prefix = options.prefix ?? 'smarter:ban:';
  const now = options.now ?? Date.now;
  const isExempt = compilePathPatterns('exemptPaths', options.exemptPaths ?? ['/healthz', '/readyz', '/livez']);
  const untilOf = (value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    const until = Number(value);
    // A corrupt entry still means banned: fail closed for the rest of a default ban.
    return Number.isFinite(until) ? until : now() + 600_000;
  };
  const list: BanList = {
    isExempt,
    now,
    async bannedUntil(key) {
      return untilOf(await store.get(prefix + key));
    },
    async ban(key, durationMs) {
      const until = now() + durationMs;
      await store.set(prefix + key, String(until), durationMs);
      return until;
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
        : function lookup(key: string): Promise<number | undefined> {
            return Promise.resolve(store.get(prefix + key)).then(untilOf);
          },
  });
  return list;
}
