/** Why a path could not be canonicalised; every one is a 400 for the client. */
export type PathErrorReason = 'MALFORMED_ESCAPE' | 'INVALID_UTF8' | 'TOO_MANY_ENCODINGS' | 'ABOVE_ROOT' | 'TOO_LONG';

/** Result of {@link canonicalizePath}: never an exception, so a hostile path cannot crash a guard. */
export type CanonicalPathResult =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly reason: PathErrorReason };

/** Longest raw path accepted (longer is `TOO_LONG`). */
export const MAX_PATH_LENGTH = 8192;
const MAX_DECODE_ROUNDS = 3;

// Anything that needs the slow path: escapes, backslashes, params, controls, non-ASCII, dot and empty segments,
// trailing dots or spaces, upper case is handled by toLowerCase on both paths.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters must take the slow path
const NEEDS_WORK = /[%\\;\x00-\x1f\x7f-\uffff]|\/\.|\/\/|[. ]\/|[. ]$|^[^/]/;

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
  if (!NEEDS_WORK.test(raw)) {
    const lower = raw.toLowerCase();
    return { ok: true, path: lower.length > 1 && lower.endsWith('/') ? lower.slice(0, -1) : lower };
  }
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

/** NFKC (only when non-ASCII is present), then strip C0 controls, DEL and C1 controls. */
function clean(s: string): string {
  let out = s;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  if (/[^\x00-\x7f]/.test(out)) out = out.normalize('NFKC');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return /[\x00-\x1f\x7f-\x9f]/.test(out) ? out.replace(/[\x00-\x1f\x7f-\x9f]/g, '') : out;
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

function hasMalformedEscape(s: string): boolean {
  for (let i = s.indexOf('%'); i !== -1; i = s.indexOf('%', i + 1)) {
    if (!isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) return true;
  }
  return false;
}

function hasEscape(s: string): boolean {
  for (let i = s.indexOf('%'); i !== -1; i = s.indexOf('%', i + 1)) {
    if (isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) return true;
  }
  return false;
}

/**
 * Decodes `%XX` runs as UTF-8, accepting overlong forms (`%C0%AF` is `/`) because some servers and filters did and
 * attackers rely on the mismatch; rejects truncated sequences, stray continuation bytes and surrogates. A `%` that
 * does not start an escape is kept.
 */
function percentDecode(s: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const pct = s.indexOf('%', i);
    if (pct === -1) {
      out += s.slice(i);
      break;
    }
    out += s.slice(i, pct);
    const bytes: number[] = [];
    let j = pct;
    while (s.charCodeAt(j) === 37 && isHex(s.charCodeAt(j + 1)) && isHex(s.charCodeAt(j + 2))) {
      bytes.push(Number.parseInt(s.slice(j + 1, j + 3), 16));
      j += 3;
    }
    if (bytes.length === 0) {
      out += '%';
      i = pct + 1;
      continue;
    }
    const text = decodeUtf8Lenient(bytes);
    if (text === undefined) return undefined;
    out += text;
    i = j;
  }
  return out;
}

function decodeUtf8Lenient(bytes: readonly number[]): string | undefined {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i] as number;
    let need: number;
    let cp: number;
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      i++;
      continue;
    } else if (b0 >= 0xc0 && b0 < 0xe0) {
      need = 1;
      cp = b0 & 0x1f;
    } else if (b0 >= 0xe0 && b0 < 0xf0) {
      need = 2;
      cp = b0 & 0x0f;
    } else if (b0 >= 0xf0 && b0 < 0xf8) {
      need = 3;
      cp = b0 & 0x07;
    } else {
      return undefined;
    }
    for (let k = 1; k <= need; k++) {
      const b = bytes[i + k];
      if (b === undefined || (b & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

function resolveSegments(s: string): CanonicalPathResult {
  let path = s.includes('\\') ? s.replaceAll('\\', '/') : s;
  path = path.toLowerCase();
  const stack: string[] = [];
  let start = 0;
  while (start <= path.length) {
    let end = path.indexOf('/', start);
    if (end === -1) end = path.length;
    let segment = path.slice(start, end);
    start = end + 1;
    const semi = segment.indexOf(';');
    if (semi !== -1) segment = segment.slice(0, semi);
    if (segment.length === 0 || segment === '.') continue;
    if (segment === '..') {
      if (stack.length === 0) return { ok: false, reason: 'ABOVE_ROOT' };
      stack.pop();
      continue;
    }
    // Windows ignores trailing dots and spaces: `.env.` and `.env ` open `.env`.
    let last = segment.length;
    while (last > 0) {
      const code = segment.charCodeAt(last - 1);
      if (code !== 46 && code !== 32) break;
      last--;
    }
    if (last === 0) continue;
    stack.push(last === segment.length ? segment : segment.slice(0, last));
  }
  const joined = `/${stack.join('/')}`;
  return { ok: true, path: joined.includes('%') ? joined.replaceAll('%', '%25') : joined };
}
