import type { MiddlewareHandler } from 'hono';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { identityOf } from '../identity/client-identity.ts';
import { compileIpMatcher, type IpMatcher } from '../identity/ip.ts';
import { PROXY_PRESETS } from '../identity/presets.ts';
import type { IdentityVariables } from '../identity/types.ts';
import { canonicalPathOf, guardProblem, journalEvent, rejectUnknownOptions } from '../internal/guard.ts';
import type { Journal } from '../journal/journal.ts';

/** Options of {@link internalOnly}. */
export interface InternalOnlyOptions {
  /** Client CIDRs or preset names (`loopback`, `private`, …) allowed in. @default ['loopback', 'private'] */
  readonly allow?: readonly string[];
  /** Status for everyone else: 404 hides that the route exists. @default 404 */
  readonly status?: 403 | 404;
  /** Where rejections are journaled. @default none */
  readonly journal?: Journal;
}

/** {@link InternalOnlyOptions} after validation. */
export interface ResolvedInternalOnlyOptions {
  readonly allows: IpMatcher;
  readonly status: 403 | 404;
  readonly journal: Journal | undefined;
}

/** Validates {@link InternalOnlyOptions}. */
export function resolveInternalOnlyOptions(options: InternalOnlyOptions = {}): ResolvedInternalOnlyOptions {
  rejectUnknownOptions('internalOnly', options, ['allow', 'status', 'journal']);
  const allow = options.allow ?? ['loopback', 'private'];
  if (!Array.isArray(allow) || allow.length === 0) {
    throw new SmarterConfigError('internalOnly: allow is a non-empty list of CIDRs or preset names.');
  }
  const cidrs = allow.flatMap((name) => PROXY_PRESETS[name] ?? [name]);
  if (cidrs.some((c) => c === '0.0.0.0/0' || c === '::/0')) {
    throw new SmarterConfigError('internalOnly: allowing every address makes the route public; list internal CIDRs.');
  }
  let allows: IpMatcher;
  try {
    allows = compileIpMatcher(cidrs);
  } catch (error) {
    throw new SmarterConfigError(
      `internalOnly: ${(error as Error).message}; use CIDRs or ${Object.keys(PROXY_PRESETS).join(', ')}.`,
    );
  }
  if (options.status !== undefined && options.status !== 403 && options.status !== 404) {
    throw new SmarterConfigError('internalOnly: status must be 404 (default) or 403.');
  }
  return { allows, status: options.status ?? 404, journal: options.journal };
}

/**
 * Lets only internal clients through (SPEC §19), by the client IP that `clientIdentity` resolved through trusted
 * proxies, never by Host. An unknown client address is refused.
 *
 * @example
 * app.use('/metrics', internalOnly({ allow: ['10.0.0.0/8'] }));
 */
export function internalOnly(options: InternalOnlyOptions = {}): MiddlewareHandler<{ Variables: IdentityVariables }> {
  const o = resolveInternalOnlyOptions(options);
  return async function internalOnly(c, next) {
    const identity = identityOf(c);
    if (o.allows(identity.ip)) return next();
    const canonical = canonicalPathOf(c);
    journalEvent(o.journal, c, {
      type: 'internal.rejected',
      severity: 'notice',
      clientKey: identity.key,
      path: canonical.ok ? canonical.path : undefined,
      status: o.status,
      reason: 'NOT_INTERNAL',
    });
    return o.status === 404
      ? guardProblem(c, 404, 'NOT_FOUND', 'Not found')
      : guardProblem(c, 403, 'INTERNAL_ONLY', 'Forbidden');
  };
}
