import type { Handler } from 'hono';
import { readBody } from '../api/read-body.ts';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { requestIdOf, waitUntilOf } from '../internal/request.ts';
import type { Journal } from '../journal/journal.ts';

/** Options of {@link cspReport}. */
export interface CspReportOptions {
  /** Where `csp.report` events go. */
  readonly journal: Journal;
  /** Fraction of reports journaled, 0..1 (browsers can send floods). @default 1 */
  readonly sampleRate?: number;
  /** Largest accepted report body in bytes. @default 16384 */
  readonly maxBytes?: number;
  /** Random source for sampling, injectable for tests. @default Math.random */
  readonly random?: () => number;
}

/** Resolved {@link CspReportOptions}. */
export interface ResolvedCspReportOptions {
  readonly journal: Journal;
  readonly sampleRate: number;
  readonly maxBytes: number;
  readonly random: () => number;
}

/** Validates {@link CspReportOptions}. */
export function resolveCspReportOptions(options: CspReportOptions): ResolvedCspReportOptions {
  for (const key of Object.keys(options)) {
    if (!['journal', 'sampleRate', 'maxBytes', 'random'].includes(key)) {
      throw new SmarterConfigError(`cspReport: unknown option "${key}"; use journal, sampleRate, maxBytes or random.`);
    }
  }
  const sampleRate = options.sampleRate ?? 1;
  if (!(sampleRate >= 0 && sampleRate <= 1))
    throw new SmarterConfigError('cspReport: sampleRate must be between 0 and 1.');
  const maxBytes = options.maxBytes ?? 16_384;
  if (!Number.isInteger(maxBytes) || maxBytes < 256)
    throw new SmarterConfigError('cspReport: maxBytes must be an integer ≥ 256.');
  return { journal: options.journal, sampleRate, maxBytes, random: options.random ?? Math.random };
}

const REPORT_TYPES = /^application\/(csp-report|reports\+json|json)\b/i;
const TOKEN = /^[a-z0-9-]{1,64}$/i;

/** Keeps only the origin of a URL from a report (paths and queries can carry tokens). */
function originOnly(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (TOKEN.test(value)) return value; // "inline", "eval", "data", …
  try {
    const url = new URL(value);
    return url.origin === 'null' ? url.protocol.replace(':', '') : url.origin;
  } catch {
    return undefined;
  }
}

function pathOnly(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value).pathname.slice(0, 256);
  } catch {
    return undefined;
  }
}

function field(report: Record<string, unknown>, ...names: string[]): unknown {
  for (const name of names) if (report[name] !== undefined) return report[name];
  return undefined;
}

/** Reduces one browser report (legacy `csp-report` or Reporting API `body`) to safe details. */
export function summariseCspReport(raw: unknown): Record<string, string> | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const outer = raw as Record<string, unknown>;
  const report = (outer['csp-report'] ?? outer['body'] ?? outer) as Record<string, unknown>;
  if (typeof report !== 'object' || report === null) return undefined;
  const directive = field(
    report,
    'effective-directive',
    'effectiveDirective',
    'violated-directive',
    'violatedDirective',
  );
  const details: Record<string, string> = {};
  if (typeof directive === 'string' && /^[a-z-]{1,40}/.test(directive))
    details['directive'] = directive.split(' ')[0] as string;
  const blocked = originOnly(field(report, 'blocked-uri', 'blockedURL', 'blockedUri'));
  if (blocked) details['blocked'] = blocked;
  const page = pathOnly(field(report, 'document-uri', 'documentURL', 'documentUri'));
  if (page) details['page'] = page;
  const disposition = field(report, 'disposition');
  if (disposition === 'enforce' || disposition === 'report') details['disposition'] = disposition;
  return Object.keys(details).length ? details : undefined;
}

/**
 * The CSP report endpoint (SPEC §7): accepts legacy and Reporting-API reports, keeps only directive, blocked origin
 * and page path, journals a sample as `csp.report`, and always answers 204 (nothing to learn for a prober).
 *
 * @example
 * app.post('/csp-report', cspReport({ journal, sampleRate: 0.1 }));
 */
export function cspReport(options: CspReportOptions): Handler {
  const r = resolveCspReportOptions(options);
  return async function cspReport(c) {
    const type = c.req.header('content-type') ?? '';
    const length = Number(c.req.header('content-length') ?? '0');
    const body = c.req.raw.body;
    if (REPORT_TYPES.test(type) && body && length <= r.maxBytes && r.random() < r.sampleRate) {
      try {
        // A body limit layer may already have buffered the body into Hono's cache.
        const bytes = c.req.raw.bodyUsed ? new Uint8Array(await c.req.arrayBuffer()) : await readBody(body, r.maxBytes);
        if (typeof bytes === 'string' || bytes.byteLength > r.maxBytes) return c.body(null, 204);
        const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
        const reports = Array.isArray(parsed) ? parsed.slice(0, 10) : [parsed];
        for (const report of reports) {
          const details = summariseCspReport(report);
          if (!details) continue;
          r.journal.emit(
            { type: 'csp.report', severity: 'notice', requestId: requestIdOf(c), path: details['page'], details },
            waitUntilOf(c),
          );
        }
      } catch {
        // Malformed reports are dropped silently: the endpoint is unauthenticated by nature.
      }
    }
    return c.body(null, 204);
  };
}
