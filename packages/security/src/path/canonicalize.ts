/** Why a path could not be canonicalised; every one is a 400 for the client. */
export type PathErrorReason = 'MALFORMED_ESCAPE' | 'INVALID_UTF8' | 'TOO_MANY_ENCODINGS' | 'ABOVE_ROOT' | 'TOO_LONG';

/** Result of {@link canonicalizePath}: never an exception, so a hostile path cannot crash a guard. */
export type CanonicalPathResult =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly reason: PathErrorReason };

/** Longest raw path accepted (longer is `TOO_LONG`). */
export const MAX_PATH_LENGTH = 8192;
const MAX_DECODE_ROUNDS = 3;

/**
 * The one canonical form every path rule matches against (SPEC §2): percent-decoded until stable (at most 3
 * rounds; overlong UTF-8 decoded to what it spells), NFKC, `\` → `/`, control characters and NUL stripped, `//`
 * collapsed, `;params` dropped, dot segments resolved (climbing above root is an error), trailing dots and spaces
 * stripped from segments, no trailing slash, lower case. A literal `%` stays encoded as `%25`, so the function is
 * idempotent. Pure; never throws.
 *
 * @example
 * canonicalizePath('/STATIC/..%252f.%2545nv'); // { ok: true, path: '/.env' }
 */
export function canonicalizePath(raw: string): CanonicalPathResult {
  if (raw.length > MAX_PATH_LENGTH) return { ok: false, reason: 'TOO_LONG' };
  const plain = plainCanonical(raw);
  return plain === undefined ? canonicalizeByWalk(raw) : { ok: true, path: plain };
}

/**
 * The canonical form of a path that is already canonical but for upper case and a trailing slash (most paths of an
 * API), read in one pass over its characters; undefined when it needs {@link canonicalizeByWalk}: escapes,
 * backslashes, `;params`, controls or non-ASCII, `//`, `.` or `..` segments, segments ending in a dot or a space,
 * or no leading `/`. A test checks that both give the same answer for any input.
 */
function plainCanonical(raw: string): string | undefined {
  const n = raw.length;
  if (n === 0 || raw.charCodeAt(0) !== 47) return undefined;
  let upper = false;
  let prev = 47;
  for (let i = 1; i < n; i++) {
    const code = raw.charCodeAt(i);
    if (code === 47) {
      // `//`, or a segment ending in a dot or a space.
      if (prev === 47 || prev === 46 || prev === 32) return undefined;
    } else if (code === 46) {
      // A `.` or `..` segment.
      if (prev === 47) {
        const next = i + 1 === n ? 47 : raw.charCodeAt(i + 1);
        if (next === 47) return undefined;
        if (next === 46 && (i + 2 === n || raw.charCodeAt(i + 2) === 47)) return undefined;
      }
    } else if (code < 32 || code > 126 || code === 37 || code === 59 || code === 92) {
      return undefined;
    } else if (code >= 65 && code <= 90) {
      upper = true;
    }
    prev = code;
  }
  if (prev === 46 || prev === 32) return undefined;
  const path = upper ? raw.toLowerCase() : raw;
  return n > 1 && prev === 47 ? path.slice(0, -1) : path;
}

/**
 * {@link canonicalizePath} for any input: validate and decode escapes until stable, then resolve the segments.
 * Exported for the test that checks the one-pass shortcut against it.
 */
export function canonicalizeByWalk(raw: string): CanonicalPathResult {
  if (raw.length > MAX_PATH_LENGTH) return { ok: false, reason: 'TOO_LONG' };
  let s = raw;
  if (hasMalformedEscape(s)) return { ok: false, reason: 'MALFORMED_ESCAPE' };
  s = clean(s);
  let rounds = 0;
  while (hasEscape(s)) {
    if (rounds === MAX_DECODE_ROUNDS) return { ok: false, reason: 'TOO_MANY_ENCODINGS' };
    const decoded = percentDecode(s);
    if (decoded === undefined) return { ok: false, reason: 'INVALID_UTF8' };
    s = clean(decoded);
    rounds++;
  }
  return resolveSegments(s);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: non-ASCII is what NFKC is needed for
const NON_ASCII = /[^\x00-\x7f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROLS = /[\x00-\x1f\x7f-\x9f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const ALL_CONTROLS = /[\x00-\x1f\x7f-\x9f]/g;

/** NFKC (only when non-ASCII is present), then strip C0 controls, DEL and C1 controls. */
function clean(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code < 32 || code > 126) {
      const out = NON_ASCII.test(s) ? s.normalize('NFKC') : s;
      return CONTROLS.test(out) ? out.replace(ALL_CONTROLS, '') : out;
    }
  }
  return s;
}

/** The value of one hex digit, or -1. */
function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 32;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** The byte a `%XX` escape at `at` spells, or -1 when there is none there. */
function escapedByte(s: string, at: number): number {
  if (s.charCodeAt(at) !== 37) return -1;
  const hi = hexValue(s.charCodeAt(at + 1));
  const lo = hi === -1 ? -1 : hexValue(s.charCodeAt(at + 2));
  return lo === -1 ? -1 : (hi << 4) | lo;
}

function hasMalformedEscape(s: string): boolean {
  for (let i = s.indexOf('%'); i !== -1; i = s.indexOf('%', i + 1)) {
    if (escapedByte(s, i) === -1) return true;
  }
  return false;
}

function hasEscape(s: string): boolean {
  for (let i = s.indexOf('%'); i !== -1; i = s.indexOf('%', i + 1)) {
    if (escapedByte(s, i) !== -1) return true;
  }
  return false;
}

/**
 * Decodes `%XX` escapes as UTF-8, accepting overlong forms (`%C0%AF` is `/`) because some servers and filters did
 * and attackers rely on the mismatch; rejects truncated sequences, stray continuation bytes and surrogates. A `%`
 * that does not start an escape is kept.
 */
function percentDecode(s: string): string | undefined {
  let out = '';
  let from = 0;
  for (let pct = s.indexOf('%'); pct !== -1; pct = s.indexOf('%', pct)) {
    const lead = escapedByte(s, pct);
    if (lead === -1) {
      pct++;
      continue;
    }
    let need: number;
    let cp: number;
    if (lead < 0x80) {
      need = 0;
      cp = lead;
    } else if (lead >= 0xc0 && lead < 0xe0) {
      need = 1;
      cp = lead & 0x1f;
    } else if (lead >= 0xe0 && lead < 0xf0) {
      need = 2;
      cp = lead & 0x0f;
    } else if (lead >= 0xf0 && lead < 0xf8) {
      need = 3;
      cp = lead & 0x07;
    } else {
      return undefined;
    }
    for (let k = 1; k <= need; k++) {
      const b = escapedByte(s, pct + 3 * k);
      if (b === -1 || (b & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    out += s.slice(from, pct) + (cp < 0x10000 ? String.fromCharCode(cp) : String.fromCodePoint(cp));
    pct += 3 * (need + 1);
    from = pct;
  }
  return from === 0 ? s : out + s.slice(from);
}

function resolveSegments(s: string): CanonicalPathResult {
  const path = (s.includes('\\') ? s.replaceAll('\\', '/') : s).toLowerCase();
  const n = path.length;
  const stack: string[] = [];
  let start = 0;
  while (start <= n) {
    let end = path.indexOf('/', start);
    if (end === -1) end = n;
    const next = end + 1;
    // `;params` end the segment.
    let stop = start;
    while (stop < end && path.charCodeAt(stop) !== 59) stop++;
    const length = stop - start;
    if (length === 0 || (length === 1 && path.charCodeAt(start) === 46)) {
      start = next;
      continue;
    }
    if (length === 2 && path.charCodeAt(start) === 46 && path.charCodeAt(start + 1) === 46) {
      if (stack.length === 0) return { ok: false, reason: 'ABOVE_ROOT' };
      stack.pop();
      start = next;
      continue;
    }
    // Windows ignores trailing dots and spaces: `.env.` and `.env ` open `.env`.
    while (stop > start) {
      const code = path.charCodeAt(stop - 1);
      if (code !== 46 && code !== 32) break;
      stop--;
    }
    if (stop > start) stack.push(path.slice(start, stop));
    start = next;
  }
  const joined = `/${stack.join('/')}`;
  return { ok: true, path: joined.includes('%') ? joined.replaceAll('%', '%25') : joined };
}
