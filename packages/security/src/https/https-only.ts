import type { Context, MiddlewareHandler } from 'hono';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { identityOf } from '../identity/client-identity.ts';
import type { HostVariables, IdentityVariables } from '../identity/types.ts';
import { canonicalPathOf, guardProblem, journalEvent, rejectUnknownOptions } from '../internal/guard.ts';
import { type Phase, phaseMiddleware } from '../internal/phase.ts';
import { headerBag } from '../internal/response-headers.ts';
import type { Journal } from '../journal/journal.ts';
import { compilePathPatterns, type PathPatternMatcher } from '../path/patterns.ts';

/** HSTS settings (SPEC §6). */
export interface HstsOptions {
  /** Seconds. @default 31_536_000 (one year) */
  readonly maxAge?: number;
  /** @default true */
  readonly includeSubDomains?: boolean;
  /** Only when you have submitted the domain to the preload list. @default false */
  readonly preload?: boolean;
}

/** Options of {@link httpsOnly}. */
export interface HttpsOnlyOptions {
  /** Redirect plain http to https. @default true */
  readonly redirect?: boolean;
  /** `Strict-Transport-Security` on https responses, or false for none. @default {} (one year, subdomains) */
  readonly hsts?: HstsOptions | false;
  /** Canonical paths served on plain http too (health, ACME). @default ['/healthz', '/readyz', '/livez', '/.well-known/acme-challenge/*'] */
  readonly exemptPaths?: readonly string[];
  /** Port of the https listener when it is not 443. @default 443 */
  readonly httpsPort?: number;
  /** Where redirects are journaled. @default none */
  readonly journal?: Journal;
}

/** {@link HttpsOnlyOptions} after validation. */
export interface ResolvedHttpsOnlyOptions {
  readonly redirect: boolean;
  readonly hsts: string | undefined;
  readonly isExempt: PathPatternMatcher;
  readonly portSuffix: string;
  readonly journal: Journal | undefined;
}

const KNOWN = ['redirect', 'hsts', 'exemptPaths', 'httpsPort', 'journal'];

/** Validates {@link HttpsOnlyOptions} and builds the HSTS value once. */
export function resolveHttpsOnlyOptions(options: HttpsOnlyOptions = {}): ResolvedHttpsOnlyOptions {
  rejectUnknownOptions('httpsOnly', options, KNOWN);
  let hsts: string | undefined;
  if (options.hsts !== false) {
    const h = options.hsts ?? {};
    rejectUnknownOptions('httpsOnly hsts', h, ['maxAge', 'includeSubDomains', 'preload']);
    const maxAge = h.maxAge ?? 31_536_000;
    if (!Number.isInteger(maxAge) || maxAge < 0) {
      throw new SmarterConfigError('httpsOnly: hsts.maxAge is whole seconds (default 31536000).');
    }
    const includeSubDomains = h.includeSubDomains ?? true;
    if (h.preload && (maxAge < 31_536_000 || !includeSubDomains)) {
      throw new SmarterConfigError('httpsOnly: hsts.preload needs maxAge >= 31536000 and includeSubDomains: true.');
    }
    hsts = `max-age=${maxAge}${includeSubDomains ? '; includeSubDomains' : ''}${h.preload ? '; preload' : ''}`;
  }
  const port = options.httpsPort ?? 443;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SmarterConfigError('httpsOnly: httpsPort must be a TCP port (default 443).');
  }
  return {
    redirect: options.redirect ?? true,
    hsts,
    isExempt: compilePathPatterns(
      'httpsOnly exemptPaths',
      options.exemptPaths ?? ['/healthz', '/readyz', '/livez', '/.well-known/acme-challenge/*'],
    ),
    portSuffix: port === 443 ? '' : `:${port}`,
    journal: options.journal,
  };
}

/**
 * HTTPS only (SPEC §6): plain http is redirected (301 for GET/HEAD, 308 otherwise) to the validated host, never the
 * raw Host header, so mount it after `allowedHosts`; without a validated host it answers 400 instead of guessing.
 * The scheme comes from `clientIdentity` (X-Forwarded-Proto only from trusted proxies). HSTS goes on https responses
 * only.
 *
 * @example
 * app.use(clientIdentity(…), allowedHosts(…), httpsOnly());
 */
export function httpsOnly(options: HttpsOnlyOptions = {}): MiddlewareHandler<{
  Variables: IdentityVariables & Partial<HostVariables>;
}> {
  return phaseMiddleware(httpsOnlyPhase(options)) as MiddlewareHandler<{
    Variables: IdentityVariables & Partial<HostVariables>;
  }>;
}

/** {@link httpsOnly} as a phase (the preset runs it in its composed layer). */
export function httpsOnlyPhase(options: HttpsOnlyOptions = {}): Phase {
  const o = resolveHttpsOnlyOptions(options);
  const hsts = o.hsts;
  const before = function httpsOnly(c: Context): Response | undefined {
    const identity = identityOf(c);
    if (identity.scheme === 'https') {
      // Into secureHeaders' per-request bag when it is mounted (keeps the Node fast path), else set afterwards.
      if (hsts !== undefined) {
        const bag = headerBag(c);
        if (bag) bag['strict-transport-security'] = hsts;
      }
      return undefined;
    }
    if (!o.redirect) return undefined;
    const canonical = canonicalPathOf(c);
    if (canonical.ok && o.isExempt(canonical.path)) return undefined;
    const host = c.get('validHost' as never) as string | undefined;
    if (host === undefined) return guardProblem(c, 400, 'HTTPS_REQUIRED', 'HTTPS required');
    const url = c.req.url;
    const pathStart = url.indexOf('/', url.indexOf('://') + 3);
    const target = `https://${host}${o.portSuffix}${pathStart === -1 ? '/' : url.slice(pathStart)}`;
    const method = c.req.method;
    const status = method === 'GET' || method === 'HEAD' ? 301 : 308;
    journalEvent(o.journal, c, {
      type: 'https.redirected',
      severity: 'debug',
      clientKey: identity.key,
      path: canonical.ok ? canonical.path : undefined,
      status,
    });
    return new Response(null, { status, headers: { location: target, 'cache-control': 'no-store' } });
  };
  if (hsts === undefined) return { before };
  const after = function httpsOnlyHsts(c: Context): void {
    if (identityOf(c).scheme === 'https' && headerBag(c) === undefined) c.header('strict-transport-security', hsts);
  };
  return { before, after };
}
