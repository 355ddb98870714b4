import type { Context, MiddlewareHandler } from 'hono';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { identityOf } from '../identity/client-identity.ts';
import { compileIpMatcher, type IpMatcher } from '../identity/ip.ts';
import { PROXY_PRESETS } from '../identity/presets.ts';
import type { IdentityVariables } from '../identity/types.ts';
import {
  canonicalPathOf,
  type FailMode,
  invalidPathResponse,
  journalEvent,
  positiveInt,
  rejectUnknownOptions,
  storeFailure,
} from '../internal/guard.ts';
import { type Phase, phaseMiddleware } from '../internal/phase.ts';
import type { Journal } from '../journal/journal.ts';
import { compilePathPatterns, type PathPatternMatcher } from '../path/patterns.ts';
import type { Store } from '../store/store.ts';
import { banOffender, resolveBanCounting } from './ban-counting.ts';
import type { BanList } from './ban-list.ts';
import { type BanStatus, enforceBan } from './enforce-ban.ts';

/** Misses browsers and crawlers make on their own; never counted (SPEC §4). */
export const DEFAULT_BENIGN_MISSES: readonly string[] = Object.freeze([
  '/favicon.ico',
  '/apple-touch-icon*',
  '/robots.txt',
  '/.well-known/*',
  '/sitemap.xml',
]);

/** Says whether a request carried valid credentials (injected: authentication lives elsewhere). */
export type CredentialPredicate = (c: Context) => boolean | Promise<boolean>;

/** Options of {@link excessiveNotFound}. */
export interface ExcessiveNotFoundOptions {
  /** Counters live here (atomic fixed windows). @default memoryStore() (this process only) */
  readonly store?: Store;
  /** The ban list shared with the sensitive-file guard. @default createBanList({ store }) */
  readonly bans?: BanList;
  /** Counted misses per window that ban the client. @default 25 */
  readonly threshold?: number;
  /** Counting window. @default 600_000 (10 minutes) */
  readonly windowMs?: number;
  /** Ban length. @default 600_000 (10 minutes) */
  readonly banMs?: number;
  /** Response statuses that count as misses. @default [404] (401, 403, 405 optional) */
  readonly statuses?: readonly number[];
  /** Canonical paths never counted (exact, or `…*` within one segment). @default DEFAULT_BENIGN_MISSES */
  readonly benign?: readonly string[];
  /**
   * True when the request was authenticated; such requests are not counted. Evaluated after the response, so it
   * may read variables set by authentication downstream.
   * @default () => false
   */
  readonly isCredentialed?: CredentialPredicate;
  /**
   * Client CIDRs or preset names whose misses are never counted (your own monitoring; `loopback` in local
   * development). They can still be banned by the sensitive-file guard.
   * @default []
   */
  readonly exemptClients?: readonly string[];
  /** Status of the answer to a banned client. @default 403 */
  readonly banStatus?: BanStatus;
  /** Journal one `scanner.notfound` for the first miss and then every Nth miss of a window. @default 10 */
  readonly sampleEvery?: number;
  /** What to do when the store fails. @default 'closed' (503) */
  readonly failMode?: FailMode;
  /** Where decisions are journaled. @default none */
  readonly journal?: Journal;
}

/** {@link ExcessiveNotFoundOptions} after validation. */
export interface ResolvedExcessiveNotFoundOptions {
  readonly store: Store;
  readonly bans: BanList;
  readonly threshold: number;
  readonly windowMs: number;
  readonly banMs: number;
  readonly counts: (status: number) => boolean;
  readonly isBenign: PathPatternMatcher;
  readonly isCredentialed: CredentialPredicate;
  readonly isExemptClient: IpMatcher;
  readonly banStatus: BanStatus;
  readonly sampleEvery: number;
  readonly failMode: FailMode;
  readonly journal: Journal | undefined;
}

const KNOWN = [
  'store',
  'bans',
  'threshold',
  'windowMs',
  'banMs',
  'statuses',
  'benign',
  'isCredentialed',
  'exemptClients',
  'banStatus',
  'sampleEvery',
  'failMode',
  'journal',
] as const;

/** Validates {@link ExcessiveNotFoundOptions}. */
export function resolveExcessiveNotFoundOptions(
  options: ExcessiveNotFoundOptions = {},
): ResolvedExcessiveNotFoundOptions {
  const guard = 'excessiveNotFound';
  rejectUnknownOptions(guard, options, KNOWN);
  const statuses = options.statuses ?? [404];
  if (!Array.isArray(statuses) || statuses.length === 0 || statuses.some((s) => ![401, 403, 404, 405].includes(s))) {
    throw new SmarterConfigError(
      `${guard}: statuses is a non-empty list drawn from 401, 403, 404, 405 (default [404]).`,
    );
  }
  if (options.banStatus !== undefined && options.banStatus !== 403 && options.banStatus !== 429) {
    throw new SmarterConfigError(`${guard}: banStatus must be 403 (default) or 429.`);
  }
  if (options.isCredentialed !== undefined && typeof options.isCredentialed !== 'function') {
    throw new SmarterConfigError(`${guard}: isCredentialed must be a function (c) => boolean.`);
  }
  let isExemptClient: IpMatcher = () => false;
  if (options.exemptClients !== undefined) {
    const cidrs = options.exemptClients.flatMap((name) => PROXY_PRESETS[name] ?? [name]);
    if (cidrs.some((c) => c === '0.0.0.0/0' || c === '::/0')) {
      throw new SmarterConfigError(
        `${guard}: exempting every client turns the scanner ban off; list your monitors' CIDRs.`,
      );
    }
    try {
      isExemptClient = compileIpMatcher(cidrs);
    } catch (error) {
      throw new SmarterConfigError(`${guard}: exemptClients: ${(error as Error).message}; use CIDRs or preset names.`);
    }
  }
  const set = new Set(statuses);
  return {
    ...resolveBanCounting(guard, options, 25),
    counts: statuses.length === 1 && statuses[0] === 404 ? (s) => s === 404 : (s) => set.has(s),
    isBenign: compilePathPatterns(`${guard} benign`, options.benign ?? DEFAULT_BENIGN_MISSES),
    isCredentialed: options.isCredentialed ?? (() => false),
    isExemptClient,
    banStatus: options.banStatus ?? 403,
    sampleEvery: positiveInt(guard, 'sampleEvery', options.sampleEvery, 10),
  };
}

/**
 * Bans scanners (SPEC §4): a banned client is answered before routing (the handler never runs); after the response,
 * misses (404 by default) are counted per client key, skipping benign misses and credentialed requests, and the
 * `threshold`-th miss in a window bans the client on every route but health, with `Retry-After`.
 *
 * @example
 * app.use(excessiveNotFound({ store, bans, isCredentialed: (c) => c.get('principal') !== undefined }));
 */
export function excessiveNotFound(options: ExcessiveNotFoundOptions = {}): MiddlewareHandler<{
  Variables: IdentityVariables;
}> {
  return phaseMiddleware(excessiveNotFoundPhase(options)) as MiddlewareHandler<{ Variables: IdentityVariables }>;
}

/** {@link excessiveNotFound} as a phase (the preset runs it in its composed layer). */
export function excessiveNotFoundPhase(options: ExcessiveNotFoundOptions = {}): Phase {
  const o = resolveExcessiveNotFoundOptions(options);
  return {
    before: function excessiveNotFound(c) {
      const canonical = canonicalPathOf(c);
      const identity = identityOf(c);
      if (!canonical.ok) return invalidPathResponse(c, o.journal, canonical.reason, identity.key);
      return enforceBan(
        c,
        o.bans,
        identity.key,
        canonical.path,
        o.journal,
        o.failMode,
        o.banStatus,
        'excessiveNotFound',
      );
    },
    after: function excessiveNotFoundCount(c) {
      // Only a miss is counted: every other answer leaves here without touching the store.
      if (!o.counts(c.res.status)) return undefined;
      const identity = identityOf(c);
      if (o.isExemptClient(identity.ip)) return undefined;
      const canonical = canonicalPathOf(c);
      if (!canonical.ok) return undefined;
      return countMiss(c, o, identity.key, canonical.path);
    },
  };
}

/** After the response: counts a miss and bans at the threshold. Replaces the response only when failing closed. */
async function countMiss(c: Context, o: ResolvedExcessiveNotFoundOptions, key: string, path: string): Promise<void> {
  if (!o.counts(c.res.status) || o.isBenign(path) || o.bans.isExempt(path)) return;
  if (await o.isCredentialed(c)) return;
  let count: number;
  try {
    count = (await o.store.increment(`smarter:notfound:${key}`, o.windowMs)).count;
  } catch {
    const failed = storeFailure(c, o.journal, 'excessiveNotFound', key, o.failMode);
    if (failed) {
      c.res = undefined;
      c.res = failed;
    }
    return;
  }
  if (count === 1 || count % o.sampleEvery === 0) {
    journalEvent(o.journal, c, {
      type: 'scanner.notfound',
      severity: 'info',
      clientKey: key,
      path,
      status: c.res.status,
      details: { count, sampledOneIn: o.sampleEvery },
    });
  }
  if (count < o.threshold) return;
  const failed = await banOffender(c, o, 'excessiveNotFound', { key, path, count, reason: 'EXCESSIVE_NOT_FOUND' });
  if (failed) {
    c.res = undefined;
    c.res = failed;
  }
}
