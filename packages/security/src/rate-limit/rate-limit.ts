import type { Context, MiddlewareHandler } from 'hono';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { identityOf } from '../identity/client-identity.ts';
import type { IdentityVariables } from '../identity/types.ts';
import { expiryCache } from '../internal/expiry-cache.ts';
import {
  canonicalPathOf,
  type FailMode,
  guardProblem,
  journalEvent,
  positiveInt,
  rejectUnknownOptions,
  resolveFailMode,
  storeFailure,
} from '../internal/guard.ts';
import { headerBag } from '../internal/response-headers.ts';
import type { Journal } from '../journal/journal.ts';
import type { Clock, Store } from '../store/store.ts';
import { memoryStore } from '../stores/memory/memory-store.ts';

/** What a request is counted under: the client key, or your own key (principal, route group…). */
export type RateLimitKey = 'ip' | ((c: Context) => string | undefined | Promise<string | undefined>);

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  /** Requests allowed per window. @default 100 */
  readonly limit?: number;
  /** Fixed window length. @default 60_000 */
  readonly windowMs?: number;
  /** Policy name in the headers and the store key; one per route group. @default 'default' */
  readonly name?: string;
  /**
   * Counter key: `'ip'` (the client key: IPv4 /32, IPv6 /64), or a function (e.g. the principal); a function that
   * returns undefined falls back to the client key.
   * @default 'ip'
   */
  readonly key?: RateLimitKey;
  /** Counters live here. @default memoryStore() (this process only) */
  readonly store?: Store;
  /** Clock for `Retry-After` and the remaining-time header; give it the store's clock. @default Date.now */
  readonly now?: Clock;
  /** Send `RateLimit-Policy` and `RateLimit` on every response, not only on 429. @default true */
  readonly headers?: boolean;
  /** What to do when the store fails. @default 'closed' (503) */
  readonly failMode?: FailMode;
  /** Where 429s are journaled. @default none */
  readonly journal?: Journal;
}

/** {@link RateLimitOptions} after validation. */
export interface ResolvedRateLimitOptions {
  readonly limit: number;
  readonly windowMs: number;
  readonly name: string;
  readonly key: RateLimitKey;
  readonly store: Store;
  readonly now: Clock;
  readonly headers: boolean;
  /** The precomputed `RateLimit-Policy` value. */
  readonly policy: string;
  readonly failMode: FailMode;
  readonly journal: Journal | undefined;
}

/** Clients this process remembers as over their limit at most (about 150 bytes each). */
const OVER_LIMIT_ENTRIES = 10_000;

const KNOWN = ['limit', 'windowMs', 'name', 'key', 'store', 'now', 'headers', 'failMode', 'journal'];

/** Validates {@link RateLimitOptions}. */
export function resolveRateLimitOptions(options: RateLimitOptions = {}): ResolvedRateLimitOptions {
  const guard = 'rateLimit';
  rejectUnknownOptions(guard, options, KNOWN);
  const name = options.name ?? 'default';
  if (!/^[a-z][a-z0-9_-]{0,31}$/.test(name)) {
    throw new SmarterConfigError(
      `${guard}: name is a short token like "login" or "api" (lower-case, digits, - and _).`,
    );
  }
  const key = options.key ?? 'ip';
  if (key !== 'ip' && typeof key !== 'function') {
    throw new SmarterConfigError(`${guard}: key is 'ip' or a function (c) => string | undefined.`);
  }
  const limit = positiveInt(guard, 'limit', options.limit, 100);
  const windowMs = positiveInt(guard, 'windowMs', options.windowMs, 60_000);
  if (windowMs < 1000)
    throw new SmarterConfigError(`${guard}: windowMs must be at least 1000 (headers count seconds).`);
  return {
    limit,
    windowMs,
    name,
    key,
    store: options.store ?? memoryStore(),
    now: options.now ?? Date.now,
    headers: options.headers ?? true,
    policy: rateLimitPolicy(name, limit, windowMs),
    failMode: resolveFailMode(guard, options.failMode),
    journal: options.journal,
  };
}

/** The `RateLimit-Policy` value of a named fixed-window policy (IETF httpapi-ratelimit-headers, structured fields). */
export function rateLimitPolicy(name: string, limit: number, windowMs: number): string {
  return `"${name}";q=${limit};w=${Math.ceil(windowMs / 1000)}`;
}

/** The `RateLimit` value: what is left of the named policy's quota and the seconds until it resets. */
export function rateLimitState(name: string, remaining: number, seconds: number): string {
  return `"${name}";r=${remaining};t=${seconds}`;
}

/**
 * A fixed-window rate limiter (SPEC §19) over an atomic store counter. Answers 429 problem+json `RATE_LIMITED` with
 * `Retry-After`, and sends the IETF `RateLimit-Policy` / `RateLimit` headers. Mount it before credential lookup on
 * authentication routes.
 *
 * @example
 * app.use('/login', rateLimit({ name: 'login', limit: 10, windowMs: 15 * 60_000, store }));
 */
export function rateLimit(options: RateLimitOptions = {}): MiddlewareHandler<{ Variables: IdentityVariables }> {
  const o = resolveRateLimitOptions(options);
  const prefix = `smarter:rl:${o.name}:`;
  // With a shared store, a client found over its limit is refused from memory until its window ends (the count can
  // only grow until then): a client flooding past its limit costs no store round trip per request. An in-process
  // store is memory already.
  const overLimit = typeof o.store.getNow === 'function' ? undefined : expiryCache(OVER_LIMIT_ENTRIES);

  // A flood past the limit must not become a flood of journal rows: a client's first refusal in a window and every
  // 100th after it are journaled (with the count, which says how far over it went); refusals answered from memory,
  // which have no count, are sampled the same way across this limiter (its 1st, 101st, 201st…), not per client.
  let remembered = 0;

  function refuse(c: Context, clientKey: string, resetAt: number, count: number | undefined): Response {
    const seconds = Math.max(1, Math.ceil((resetAt - o.now()) / 1000));
    if (count === undefined) remembered = (remembered + 1) % 100;
    const over = count === undefined ? 0 : count - o.limit;
    if (count === undefined ? remembered === 1 : over % 100 === 1) journalRefusal(c, clientKey, count);
    return guardProblem(c, 429, 'RATE_LIMITED', 'Too many requests', {
      'retry-after': String(seconds),
      'ratelimit-policy': o.policy,
      ratelimit: rateLimitState(o.name, 0, seconds),
    });
  }

  function journalRefusal(c: Context, clientKey: string, count: number | undefined): void {
    const canonical = canonicalPathOf(c);
    journalEvent(o.journal, c, {
      type: 'ratelimit.exceeded',
      severity: 'notice',
      clientKey,
      path: canonical.ok ? canonical.path : undefined,
      status: 429,
      reason: 'RATE_LIMITED',
      details:
        count === undefined ? { policy: o.name, sampledOneIn: 100 } : { policy: o.name, count, sampledOneIn: 100 },
    });
  }

  return async function rateLimit(c, next) {
    const identity = identityOf(c);
    let key = identity.key;
    if (o.key !== 'ip') {
      const custom = await o.key(c);
      if (custom !== undefined && custom.length > 0) key = `k:${custom}`;
    }
    const storeKey = prefix + key;
    if (overLimit) {
      const resetAt = overLimit.get(storeKey, o.now());
      if (resetAt !== undefined) return refuse(c, identity.key, resetAt, undefined);
    }
    let count: number;
    let resetAt: number;
    try {
      ({ count, resetAt } = await o.store.increment(storeKey, o.windowMs));
    } catch {
      const failed = storeFailure(c, o.journal, 'rateLimit', identity.key, o.failMode);
      if (failed) return failed;
      return next();
    }
    if (count > o.limit) {
      // Never longer than one window from now, whatever the store's clock says of its end.
      const at = o.now();
      overLimit?.remember(storeKey, resetAt, Math.min(resetAt, at + o.windowMs), at);
      return refuse(c, identity.key, resetAt, count);
    }
    const seconds = Math.max(0, Math.ceil((resetAt - o.now()) / 1000));
    const state = rateLimitState(o.name, Math.max(0, o.limit - count), seconds);
    if (!o.headers) return next();
    // Under secureHeaders the values go into its per-request bag before the handler runs, so a plain c.json()
    // answer keeps the Node fast path; otherwise they are set on the response afterwards.
    const bag = headerBag(c);
    if (bag) {
      bag['ratelimit-policy'] = o.policy;
      bag['ratelimit'] = state;
      return next();
    }
    await next();
    c.header('ratelimit-policy', o.policy);
    c.header('ratelimit', state);
    return undefined;
  };
}
