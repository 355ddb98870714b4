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
  // One map for whole-segment names and the first segment of multi-segment paths: one lookup per segment.
  const segments = new Map<string, SegmentEntry>();
  const extensions = new Map<string, SensitiveMatch>();
  const prefixes: Array<readonly [string, SensitiveMatch]> = [];
  const suffixes: Array<readonly [string, SensitiveMatch]> = [];
  // Cheap first/last character filters so most segments skip the prefix and suffix scans entirely.
  const prefixFirst = new Uint8Array(65536);
  const suffixLast = new Uint8Array(65536);
  // (first character, length) filters: most segments are rejected without slicing a substring or hashing it.
  const segmentFilter = new Uint8Array(128 * 64);
  const extensionFilter = new Uint8Array(128 * 64);
  const slot = (code: number, length: number) => ((code & 127) << 6) | Math.min(length, 63);
  const entry = (
    name: string,
  ): { match?: SensitiveMatch; paths?: Array<readonly [readonly string[], SensitiveMatch]> } => {
    let e = segments.get(name) as {
      match?: SensitiveMatch;
      paths?: Array<readonly [readonly string[], SensitiveMatch]>;
    };
    if (e === undefined) {
      e = {};
      segments.set(name, e);
    }
    return e;
  };
  for (const p of patterns) {
    const value = p.value.toLowerCase();
    switch (p.kind) {
      case 'segment': {
        const e = entry(value);
        e.match ??= { category: p.category, pattern: value };
        break;
      }
      case 'extension':
        if (!extensions.has(value)) extensions.set(value, { category: p.category, pattern: `*.${value}` });
        break;
      case 'prefix':
        prefixes.push([value, { category: p.category, pattern: `${value}*` }]);
        prefixFirst[value.charCodeAt(0)] = 1;
        break;
      case 'suffix':
        suffixes.push([value, { category: p.category, pattern: `*${value}` }]);
        suffixLast[value.charCodeAt(value.length - 1)] = 1;
        break;
      case 'path': {
        const parts = value.split('/').filter(Boolean);
        const first = parts[0];
        if (first === undefined) break;
        if (parts.length === 1) {
          entry(first).match ??= { category: p.category, pattern: first };
          break;
        }
        const e = entry(first);
        if (e.paths === undefined) e.paths = [];
        e.paths.push([parts.slice(1), { category: p.category, pattern: parts.join('/') }]);
        break;
      }
    }
  }

  for (const name of segments.keys()) segmentFilter[slot(name.charCodeAt(0), name.length)] = 1;
  for (const ext of extensions.keys()) extensionFilter[slot(ext.charCodeAt(0), ext.length)] = 1;

  return function matchSensitive(path: string): SensitiveMatch | undefined {
    let start = 1;
    const length = path.length;
    while (start < length) {
      let end = path.indexOf('/', start);
      if (end === -1) end = length;
      if (end === start) {
        start = end + 1;
        continue;
      }
      if (segmentFilter[slot(path.charCodeAt(start), end - start)] === 1) {
        const named = segments.get(path.slice(start, end));
        if (named !== undefined) {
          if (named.match !== undefined) return named.match;
          if (named.paths !== undefined) {
            for (const [rest, match] of named.paths) if (followsWith(path, end, rest)) return match;
          }
        }
      }
      let dot = end - 1;
      while (dot >= start && path.charCodeAt(dot) !== 46) dot--;
      if (dot >= start && extensionFilter[slot(path.charCodeAt(dot + 1), end - dot - 1)] === 1) {
        const ext = extensions.get(path.slice(dot + 1, end));
        if (ext !== undefined) return ext;
      }
      const first = path.charCodeAt(start);
      const lastCode = path.charCodeAt(end - 1);
      if (prefixFirst[first] === 1 || suffixLast[lastCode] === 1) {
        const segment = path.slice(start, end);
        if (prefixFirst[first] === 1) {
          for (let i = 0; i < prefixes.length; i++) {
            const [value, match] = prefixes[i] as readonly [string, SensitiveMatch];
            if (segment.startsWith(value)) return match;
          }
        }
        if (suffixLast[lastCode] === 1) {
          for (let i = 0; i < suffixes.length; i++) {
            const [value, match] = suffixes[i] as readonly [string, SensitiveMatch];
            if (segment.endsWith(value)) return match;
          }
        }
      }
      start = end + 1;
    }
    return undefined;
  };
}

interface SegmentEntry {
  readonly match?: SensitiveMatch;
  readonly paths?: ReadonlyArray<readonly [readonly string[], SensitiveMatch]>;
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
