import type { Context } from 'hono';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import type { HostResolution, OriginResolver } from '../host/resolver.ts';

/** Where the trusted origins of a request come from (CORS and CSRF share this). */
export interface OriginSources {
  /** Exact serialized origins (`https://app.example.com`, no path). @default [] */
  readonly origins?: readonly string[];
  /** Anchored patterns (`/^https:\/\/[a-z0-9-]+\.example\.com$/`): `^…$` is required. @default [] */
  readonly originPatterns?: readonly RegExp[];
  /** Per-agent (tenant) origins, looked up for the request's resolved host. @default undefined */
  readonly originResolver?: OriginResolver;
  /** The request's resolved agent host. @default reads the `hostResolution` variable set by the host guard */
  readonly hostResolution?: (c: Context) => HostResolution | undefined;
}

/** Answers whether an origin is trusted for a request; rejects when the resolver's store is down. */
export type OriginMatcher = (origin: string, c: Context) => boolean | Promise<boolean>;

/** Normalises a configured origin or throws {@link SmarterConfigError} saying what to write. */
export function normaliseOrigin(value: string, where: string): string {
  if (value === '*' || value === 'null') {
    throw new SmarterConfigError(
      `${where}: "${value}" is not an origin; list each origin, e.g. "https://app.example.com".`,
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SmarterConfigError(`${where}: "${value}" is not an origin; write "https://host[:port]".`);
  }
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.origin !== value.toLowerCase().replace(/\/$/, '')
  ) {
    throw new SmarterConfigError(
      `${where}: "${value}" must be scheme://host[:port] with no path, e.g. "${url.origin}".`,
    );
  }
  return url.origin;
}

/** The agent host the host guard resolved for this request (its `hostResolution` variable), if any. */
export function hostResolutionOf(c: Context): HostResolution | undefined {
  return c.get('hostResolution' as never) as HostResolution | undefined;
}

/**
 * An origin pattern that must match the whole origin. `^` and `$` in the pattern as written bind only to its first
 * and last alternatives (`/^https:\/\/a\.example|https:\/\/b\.example$/` trusts `https://a.example.evil.net`),
 * so the pattern is wrapped as `^(?:…)$`; it must still be written anchored, so that what it reads as is what it does.
 */
function wholeOriginPattern(p: RegExp, where: string): RegExp {
  if (!p.source.startsWith('^') || !p.source.endsWith('$') || p.flags.includes('g') || p.flags.includes('y')) {
    throw new SmarterConfigError(
      `${where}: origin pattern /${p.source}/ must be anchored (^…$) and without g/y flags.`,
    );
  }
  return new RegExp(`^(?:${p.source})$`, p.flags);
}

/**
 * Builds one predicate from a static list, anchored patterns and the per-tenant resolver, once, at construction.
 *
 * @example
 * const trusted = originMatcher({ origins: ['https://app.example.com'] }, 'cors');
 */
export function originMatcher(sources: OriginSources, where: string): OriginMatcher {
  const exact = new Set((sources.origins ?? []).map((o) => normaliseOrigin(o, where)));
  const patterns = (sources.originPatterns ?? []).map((p) => wholeOriginPattern(p, where));
  const resolver = sources.originResolver;
  const resolutionOf = sources.hostResolution ?? hostResolutionOf;
  return function isTrustedOrigin(origin, c) {
    // An opaque origin (sandboxed frames, data: URLs, some redirects) is never trusted, whatever a tenant's list says.
    if (origin === 'null') return false;
    if (exact.has(origin)) return true;
    for (const p of patterns) if (p.test(origin)) return true;
    if (!resolver) return false;
    const resolution = resolutionOf(c);
    if (!resolution) return false;
    return resolver.originsFor(resolution).then((list) => list.includes(origin));
  };
}
