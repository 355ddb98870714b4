import type { Context, Handler, MiddlewareHandler } from 'hono';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { canonicalPathOf } from '../internal/guard.ts';
import type { Phase } from '../internal/phase.ts';
import { requestIdOf, waitUntilOf } from '../internal/request.ts';
import { contentLengthHeader, existingRequestState, requestState } from '../internal/request-state.ts';
import type { Journal } from '../journal/journal.ts';

import { type ResourceMetrics, resourceMetrics } from './metrics.ts';

/** Options of {@link resourceLimits}. */
export interface ResourceLimitsOptions {
  /** Where `resource.limit` events go. @default undefined (thresholds only feed metrics) */
  readonly journal?: Journal;
  /** Wall time past which a request is journaled, in ms. @default 5000 */
  readonly wallTimeMs?: number;
  /** Request body bytes past which a request is journaled. @default 1048576 */
  readonly requestBytes?: number;
  /** Response body bytes past which a request is journaled. @default 10485760 */
  readonly responseBytes?: number;
  /** Resident memory past which a request is journaled (where the runtime shows it). @default 1073741824 */
  readonly memoryBytes?: number;
  /** Monotonic milliseconds; injectable for tests. @default performance.now */
  readonly now?: () => number;
  /** Resident memory in bytes, or undefined. @default process.memoryUsage.rss() where present (Node, Bun, Deno) */
  readonly memory?: () => number | undefined;
}

/** Resolved {@link ResourceLimitsOptions}. */
export interface ResolvedResourceLimitsOptions {
  readonly journal: Journal | undefined;
  readonly wallTimeMs: number;
  readonly requestBytes: number;
  readonly responseBytes: number;
  readonly memoryBytes: number;
  readonly now: () => number;
  readonly memory: () => number | undefined;
}

const KNOWN = ['journal', 'wallTimeMs', 'requestBytes', 'responseBytes', 'memoryBytes', 'now', 'memory'];

function runtimeMemory(): number | undefined {
  const proc = (globalThis as { process?: { memoryUsage?: { rss?: () => number } } }).process;
  try {
    return proc?.memoryUsage?.rss?.();
  } catch {
    return undefined;
  }
}

/** Validates {@link ResourceLimitsOptions}. */
export function resolveResourceLimitsOptions(options: ResourceLimitsOptions = {}): ResolvedResourceLimitsOptions {
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key))
      throw new SmarterConfigError(`resourceLimits: unknown option "${key}"; known: ${KNOWN.join(', ')}.`);
  }
  const r = {
    journal: options.journal,
    wallTimeMs: options.wallTimeMs ?? 5000,
    requestBytes: options.requestBytes ?? 1_048_576,
    responseBytes: options.responseBytes ?? 10_485_760,
    memoryBytes: options.memoryBytes ?? 1_073_741_824,
    now: options.now ?? (() => performance.now()),
    memory: options.memory ?? runtimeMemory,
  };
  for (const key of ['wallTimeMs', 'requestBytes', 'responseBytes', 'memoryBytes'] as const) {
    if (!(r[key] > 0)) throw new SmarterConfigError(`resourceLimits: ${key} must be a positive number.`);
  }
  return r;
}

/** Resource logging middleware with its metrics and Prometheus handler. */
export interface ResourceLimits {
  readonly middleware: MiddlewareHandler;
  readonly metrics: ResourceMetrics;
  /** `text/plain; version=0.0.4` metrics; mount it on an internal-only route. */
  readonly prometheus: Handler;
}

/** {@link ResourceLimits} plus the same logging as a phase, for the preset's composed layer (not exported). */
export interface ResourceLimitsWithPhase extends ResourceLimits {
  readonly phase: Phase;
}

function declaredLength(value: string | null | undefined): number {
  if (!value) return 0;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

function emit(
  c: Context,
  r: ResolvedResourceLimitsOptions,
  status: number,
  reason: string,
  details: Record<string, number>,
) {
  // The canonical path, as every other event has it (SPEC §11); none for a path that does not canonicalise.
  const canonical = canonicalPathOf(c);
  r.journal?.emit(
    {
      type: 'resource.limit',
      severity: 'warning',
      requestId: requestIdOf(c),
      method: c.req.method,
      path: canonical.ok ? canonical.path : undefined,
      status,
      reason,
      details,
    },
    waitUntilOf(c),
  );
}

/**
 * Resource-limit logging (SPEC §19): per request wall time, declared request bytes and response bytes (declared, or serialised for JSON) and resident memory (sampled at
 * most every 10 s); a `resource.limit` event for each threshold crossed; counters for
 * Prometheus. Cheap enough for the hot path: two clock reads and header lookups, no body access.
 *
 * @example
 * const resources = resourceLimits({ journal });
 * app.use(resources.middleware);
 * app.get('/metrics', internalOnly(), resources.prometheus);
 */
export function resourceLimits(options?: ResourceLimitsOptions): ResourceLimits {
  const { middleware, metrics, prometheus } = resourceLimitsWithPhase(options);
  return { middleware, metrics, prometheus };
}

/** {@link resourceLimits} with its phase (used by `smarter()`). */
export function resourceLimitsWithPhase(options?: ResourceLimitsOptions): ResourceLimitsWithPhase {
  const r = resolveResourceLimitsOptions(options);
  const metrics = resourceMetrics(r.memory);
  let nextMemoryCheck = Number.NEGATIVE_INFINITY;
  const record = (c: Context, start: number): void => {
    const ms = r.now() - start;
    const res = c.res;
    const status = res.status;
    const inBytes = declaredLength(contentLengthHeader(c));
    // The secure-headers JSON fast path reports its serialised length; other responses declare theirs (their
    // headers are already a Headers object by then, so the lookup is cheap).
    const state = existingRequestState(c);
    const known = state?.headers?.fast === res ? state.responseBytes : undefined;
    const outBytes = known ?? declaredLength(res.headers.get('content-length'));
    metrics.record(status, ms / 1000, inBytes, outBytes);
    if (ms > r.wallTimeMs) emit(c, r, status, 'WALL_TIME', { ms: Math.round(ms), limitMs: r.wallTimeMs });
    if (inBytes > r.requestBytes) emit(c, r, status, 'REQUEST_BYTES', { bytes: inBytes, limit: r.requestBytes });
    if (outBytes > r.responseBytes) emit(c, r, status, 'RESPONSE_BYTES', { bytes: outBytes, limit: r.responseBytes });
    // Reading resident memory costs a system call on Node: at most once every 10 s of wall time.
    if (start >= nextMemoryCheck) {
      nextMemoryCheck = start + 10_000;
      const rss = r.memory();
      if (rss !== undefined && rss > r.memoryBytes) emit(c, r, status, 'MEMORY', { bytes: rss, limit: r.memoryBytes });
    }
  };
  const middleware: MiddlewareHandler = async function resourceLimits(c, next) {
    const start = r.now();
    try {
      await next();
    } finally {
      record(c, start);
    }
  };
  // The preset's form: the start time rides on the context; the composed layer runs `after` even when a guard or
  // the handler failed (the error is rendered first), like the `finally` above.
  const phase: Phase = {
    before: function resourceLimitsStart(c) {
      requestState(c).started = r.now();
      return undefined;
    },
    after: function resourceLimitsRecord(c) {
      record(c, requestState(c).started);
    },
  };
  const prometheus: Handler = function prometheus(c) {
    return c.body(metrics.prometheus(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  };
  return { middleware, metrics, prometheus, phase };
}
