import { SmarterConfigError } from '../errors/smarter-error.ts';
import { canonicalizePath } from './canonicalize.ts';

/** A compiled list of anchored path patterns; true when a canonical path matches one. */
export type PathPatternMatcher = (canonicalPath: string) => boolean;

/**
 * Compiles anchored path patterns once: an exact canonical path (`/robots.txt`), or one ending in `*`, which matches
 * any characters up to the end of that segment (`/.well-known/acme-challenge/*` matches one token, never
 * `/.well-known/acme-challenge/a/b`). Nothing is a substring match (SPEC §3). Patterns must already be canonical:
 * anything else throws a {@link SmarterConfigError} naming the canonical form to write.
 *
 * @example
 * const isAmnesty = compilePathPatterns(['/robots.txt', '/.well-known/acme-challenge/*']);
 */
export function compilePathPatterns(option: string, patterns: readonly string[]): PathPatternMatcher {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const pattern of patterns) {
    if (typeof pattern !== 'string' || !pattern.startsWith('/')) {
      throw new SmarterConfigError(`${option}: "${String(pattern)}" must be an absolute path starting with "/".`);
    }
    const star = pattern.endsWith('*');
    const body = star ? pattern.slice(0, -1) : pattern;
    if (body.includes('*')) {
      throw new SmarterConfigError(`${option}: "${pattern}" may only use "*" at its very end.`);
    }
    const trailingSlash = star && body.endsWith('/');
    const canonical = canonicalizePath(body);
    const expected = canonical.ok
      ? trailingSlash && canonical.path !== '/'
        ? `${canonical.path}/`
        : canonical.path
      : '';
    if (!canonical.ok || expected !== body) {
      throw new SmarterConfigError(
        `${option}: "${pattern}" is not canonical${canonical.ok ? `; write "${expected}${star ? '*' : ''}"` : ''}.`,
      );
    }
    if (star) prefixes.push(body);
    else exact.add(body);
  }
  if (prefixes.length === 0) return (path) => exact.has(path);
  return function matchPathPattern(path: string): boolean {
    if (exact.has(path)) return true;
    for (const prefix of prefixes) {
      if (path.startsWith(prefix) && path.indexOf('/', prefix.length) === -1) return true;
    }
    return false;
  };
}
