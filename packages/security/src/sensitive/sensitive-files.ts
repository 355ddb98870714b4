import type { Context, MiddlewareHandler } from 'hono';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { identityOf } from '../identity/client-identity.ts';
import type { IdentityVariables } from '../identity/types.ts';
import {
  canonicalPathOf,
  type FailMode,
  guardProblem,
  invalidPathResponse,
  journalEvent,
  rejectUnknownOptions,
  storeFailure,
} from '../internal/guard.ts';
import { type Phase, phaseMiddleware } from '../internal/phase.ts';
import type { Journal } from '../journal/journal.ts';
import { compilePathPatterns, type PathPatternMatcher } from '../path/patterns.ts';
import { banOffender, resolveBanCounting } from '../scanner/ban-counting.ts';
import type { BanList } from '../scanner/ban-list.ts';
import { enforceBan, isBanChecked } from '../scanner/enforce-ban.ts';
import type { Store } from '../store/store.ts';
import { compileSensitiveMatcher, type SensitiveMatch, type SensitiveMatcher } from './matcher.ts';
import { SENSITIVE_PATTERNS, type SensitivePattern } from './patterns.ts';

/** Paths never blocked by the sensitive-file list (exact, or one segment after a `/…/*` prefix). */
export const DEFAULT_AMNESTY: readonly string[] = Object.freeze([
  '/.well-known/acme-challenge/*',
  '/.well-known/security.txt',
  '/robots.txt',
  '/favicon.ico',
  '/healthz',
  '/readyz',
  '/livez',
]);

/** Options of {@link sensitiveFiles}. */
export interface SensitiveFilesOptions {
  /** Counters live here (atomic fixed windows). @default memoryStore() (this process only) */
  readonly store?: Store;
  /** The ban list shared with the scanner ban. @default createBanList({ store }) */
  readonly bans?: BanList;
  /** The pattern list. @default SENSITIVE_PATTERNS */
  readonly patterns?: readonly SensitivePattern[];
  /** Patterns added to `patterns`. @default [] */
  readonly extraPatterns?: readonly SensitivePattern[];
  /** Exact canonical paths (or `/prefix/*` for one segment) never blocked. @default DEFAULT_AMNESTY */
  readonly amnesty?: readonly string[];
  /** Hits per window that ban the client. @default 5 */
  readonly threshold?: number;
  /** Counting window. @default 600_000 (10 minutes) */
  readonly windowMs?: number;
  /** Ban length. @default 600_000 (10 minutes) */
  readonly banMs?: number;
  /** Status of a hit: 403 `SENSITIVE_PATH`, or 404 `NOT_FOUND` for stealth. @default 403 */
  readonly status?: 403 | 404;
  /** `observe` journals hits without blocking, counting or banning. @default 'block' */
  readonly mode?: 'block' | 'observe';
  /** What to do when the store fails. @default 'closed' (503) */
  readonly failMode?: FailMode;
  /** Where decisions are journaled. @default none */
  readonly journal?: Journal;
}

/** {@link SensitiveFilesOptions} after validation. */
export interface ResolvedSensitiveFilesOptions {
  readonly store: Store;
  readonly bans: BanList;
  readonly match: SensitiveMatcher;
  readonly isAmnesty: PathPatternMatcher;
  /** The amnesty entries without `*`: these pass whatever they name. */
  readonly exactAmnesty: ReadonlySet<string>;
  readonly threshold: number;
  readonly windowMs: number;
  readonly banMs: number;
  readonly status: 403 | 404;
  readonly observe: boolean;
  readonly failMode: FailMode;
  readonly journal: Journal | undefined;
}

const KNOWN = [
  'store',
  'bans',
  'patterns',
  'extraPatterns',
  'amnesty',
  'threshold',
  'windowMs',
  'banMs',
  'status',
  'mode',
  'failMode',
  'journal',
] as const;
const KINDS = new Set(['segment', 'extension', 'prefix', 'suffix', 'path']);

/** Validates {@link SensitiveFilesOptions} and compiles the matcher once. */
export function resolveSensitiveFilesOptions(options: SensitiveFilesOptions = {}): ResolvedSensitiveFilesOptions {
  const guard = 'sensitiveFiles';
  rejectUnknownOptions(guard, options, KNOWN);
  const patterns = [...(options.patterns ?? SENSITIVE_PATTERNS), ...(options.extraPatterns ?? [])];
  for (const p of patterns) {
    if (!p || !KINDS.has(p.kind) || typeof p.value !== 'string' || p.value.length === 0 || p.value.includes('*')) {
      throw new SmarterConfigError(
        `${guard}: each pattern is { category, kind: 'segment' | 'extension' | 'prefix' | 'suffix' | 'path', value } with a literal value (no "*"; kind says where it matches).`,
      );
    }
  }
  if (options.status !== undefined && options.status !== 403 && options.status !== 404) {
    throw new SmarterConfigError(`${guard}: status must be 403 (default) or 404.`);
  }
  if (options.mode !== undefined && options.mode !== 'block' && options.mode !== 'observe') {
    throw new SmarterConfigError(`${guard}: mode must be 'block' (default) or 'observe'.`);
  }
  const amnesty = options.amnesty ?? DEFAULT_AMNESTY;
  return {
    ...resolveBanCounting(guard, options, 5),
    match: withoutStreamNames(compileSensitiveMatcher(patterns)),
    isAmnesty: compilePathPatterns(`${guard} amnesty`, amnesty),
    exactAmnesty: new Set(amnesty.filter((p) => !p.endsWith('*'))),
    status: options.status ?? 403,
    observe: options.mode === 'observe',
  };
}

/**
 * Also matches the path with each segment cut at its first `:`: on Windows, `/.env::$DATA` and
 * `/.git::$INDEX_ALLOCATION/config` open `.env` and `.git/config` (NTFS stream names). Paths without a colon cost
 * one `indexOf`.
 */
function withoutStreamNames(match: SensitiveMatcher): SensitiveMatcher {
  return function matchSensitiveOrStream(path) {
    const hit = match(path);
    if (hit !== undefined || path.indexOf(':') === -1) return hit;
    return match(path.replace(/:[^/]*/g, ''));
  };
}

/**
 * Blocks requests for sensitive files (SPEC §3) on the canonical path, before routing: 403 problem+json
 * `SENSITIVE_PATH`, counted per client in atomic fixed windows; `threshold` hits ban the client on every route but
 * health (403 `CLIENT_BANNED` + `Retry-After`). A banned client is answered here before anything else runs.
 *
 * @example
 * app.use(sensitiveFiles({ store, bans, journal }));
 */
export function sensitiveFiles(options: SensitiveFilesOptions = {}): MiddlewareHandler<{
  Variables: IdentityVariables;
}> {
  return phaseMiddleware(sensitiveFilesPhase(options)) as MiddlewareHandler<{ Variables: IdentityVariables }>;
}

/** {@link sensitiveFiles} as a phase (the preset runs it in its composed layer). */
export function sensitiveFilesPhase(options: SensitiveFilesOptions = {}): Phase {
  const o = resolveSensitiveFilesOptions(options);
  const decide = (c: Context, key: string, path: string): Response | undefined | Promise<Response | undefined> => {
    if (o.isAmnesty(path) && (o.exactAmnesty.has(path) || !sensitiveLeaf(o, path))) return undefined;
    const hit = o.match(path);
    if (hit === undefined) return undefined;
    return refuse(c, o, key, path, hit);
  };
  return {
    before: function sensitiveFiles(c) {
      const canonical = canonicalPathOf(c);
      const identity = identityOf(c);
      if (!canonical.ok) return invalidPathResponse(c, o.journal, canonical.reason, identity.key);
      const path = canonical.path;
      if (o.observe || isBanChecked(c)) return decide(c, identity.key, path);
      const banned = enforceBan(c, o.bans, identity.key, path, o.journal, o.failMode, 403, 'sensitiveFiles');
      if (banned instanceof Promise) return banned.then((b) => b ?? decide(c, identity.key, path));
      return banned ?? decide(c, identity.key, path);
    },
  };
}

/**
 * Whether the last segment of `path` is sensitive on its own. A `/prefix/*` amnesty passes one segment after the
 * prefix (an ACME challenge token), not a sensitive file put there: `/.well-known/acme-challenge/.env` is refused.
 */
function sensitiveLeaf(o: ResolvedSensitiveFilesOptions, path: string): boolean {
  return o.match(path.slice(path.lastIndexOf('/'))) !== undefined;
}

/** A sensitive path was asked for: journal, count, maybe ban, and answer (or only journal in observe mode). */
async function refuse(
  c: Context,
  o: ResolvedSensitiveFilesOptions,
  key: string,
  path: string,
  hit: SensitiveMatch,
): Promise<Response | undefined> {
  if (o.observe) {
    journalEvent(o.journal, c, {
      type: 'path.sensitive',
      severity: 'notice',
      clientKey: key,
      path,
      reason: 'OBSERVED',
      details: { category: hit.category, pattern: hit.pattern },
    });
    return undefined;
  }
  let count: number;
  try {
    count = (await o.store.increment(`smarter:sensitive:${key}`, o.windowMs)).count;
  } catch {
    const failed = storeFailure(c, o.journal, 'sensitiveFiles', key, o.failMode);
    if (failed) return failed;
    count = 0;
  }
  journalEvent(o.journal, c, {
    type: 'path.sensitive',
    severity: 'warning',
    clientKey: key,
    path,
    status: o.status,
    reason: 'SENSITIVE_PATH',
    details: { category: hit.category, pattern: hit.pattern, count },
  });
  if (count >= o.threshold) {
    const failed = await banOffender(c, o, 'sensitiveFiles', { key, path, count, reason: 'SENSITIVE_PATHS' });
    if (failed) return failed;
  }
  return o.status === 404
    ? guardProblem(c, 404, 'NOT_FOUND', 'Not found')
    : guardProblem(c, 403, 'SENSITIVE_PATH', 'Forbidden');
}
