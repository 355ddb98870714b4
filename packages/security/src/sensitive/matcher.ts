import type { SensitiveCategory, SensitivePattern } from './patterns.ts';

/** What matched, for the journal. */
export interface SensitiveMatch {
  readonly category: SensitiveCategory;
  readonly pattern: string;
}

/** A compiled matcher over canonical paths; undefined when nothing matches. */
export type SensitiveMatcher = (canonicalPath: string) => SensitiveMatch | undefined;

/**
 * Compiles the patterns once into hash lookups (literal-first: one `Map.get` per segment and per extension, a short
 * prefix/suffix scan, and multi-segment paths keyed by their first segment), so the cost per path does not grow with
 * the number of patterns the way a loop of regexes does.
 *
 * @example
 * const match = compileSensitiveMatcher(SENSITIVE_PATTERNS);
 * match('/backup/db.sql'); // { category: 'backups', pattern: '*.sql' }
 */
export function compileSensitiveMatcher(patterns: readonly SensitivePattern[]): SensitiveMatcher {
  const segments = new Map<string, SensitiveMatch>();
  const extensions = new Map<string, SensitiveMatch>();
  const prefixes: Array<readonly [string, SensitiveMatch]> = [];
  const suffixes: Array<readonly [string, SensitiveMatch]> = [];
  const paths = new Map<string, Array<readonly [readonly string[], SensitiveMatch]>>();
  for (const p of patterns) {
    const value = p.value.toLowerCase();
    switch (p.kind) {
      case 'segment':
        if (!segments.has(value)) segments.set(value, { category: p.category, pattern: value });
        break;
      case 'extension':
        if (!extensions.has(value)) extensions.set(value, { category: p.category, pattern: `*.${value}` });
        break;
      case 'prefix':
        prefixes.push([value, { category: p.category, pattern: `${value}*` }]);
        break;
      case 'suffix':
        suffixes.push([value, { category: p.category, pattern: `*${value}` }]);
        break;
      case 'path': {
        const parts = value.split('/').filter(Boolean);
        const first = parts[0];
        if (first === undefined) break;
        const entry = [parts.slice(1), { category: p.category, pattern: parts.join('/') }] as const;
        const existing = paths.get(first);
        if (existing) existing.push(entry);
        else paths.set(first, [entry]);
        break;
      }
    }
  }
  const hasPaths = paths.size > 0;

  return function matchSensitive(path: string): SensitiveMatch | undefined {
    let start = 1;
    const length = path.length;
    while (start < length) {
      let end = path.indexOf('/', start);
      if (end === -1) end = length;
      const segment = path.slice(start, end);
      const exact = segments.get(segment);
      if (exact !== undefined) return exact;
      const dot = segment.lastIndexOf('.');
      if (dot !== -1) {
        const ext = extensions.get(segment.slice(dot + 1));
        if (ext !== undefined) return ext;
      }
      for (let i = 0; i < prefixes.length; i++) {
        const [value, match] = prefixes[i] as readonly [string, SensitiveMatch];
        if (segment.startsWith(value)) return match;
      }
      for (let i = 0; i < suffixes.length; i++) {
        const [value, match] = suffixes[i] as readonly [string, SensitiveMatch];
        if (segment.endsWith(value)) return match;
      }
      if (hasPaths) {
        const candidates = paths.get(segment);
        if (candidates !== undefined) {
          for (const [rest, match] of candidates) if (followsWith(path, end, rest)) return match;
        }
      }
      start = end + 1;
    }
    return undefined;
  };
}

function followsWith(path: string, from: number, rest: readonly string[]): boolean {
  let at = from;
  for (const part of rest) {
    if (path.charCodeAt(at) !== 47) return false;
    if (!path.startsWith(part, at + 1)) return false;
    at += 1 + part.length;
    if (at !== path.length && path.charCodeAt(at) !== 47) return false;
  }
  return true;
}
