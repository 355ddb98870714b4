import { Secret } from '../errors/secret.ts';

const MASK = '***';
/** Keys whose values are never written, whatever they hold. */
const SECRET_KEY = /pass|secret|token|cookie|authori[sz]ation|api[-_]?key|session|csrf|credential|private|signature/i;

/** Whether a field of this name holds a secret, whatever its value (`password`, `apiKey`, `sessionId`, …). */
export function isSecretKeyName(name: string): boolean {
  return SECRET_KEY.test(name);
}
/** Whole values that look like credentials (bearer tokens, JWTs, long opaque strings). */
const SECRET_VALUE = /^(?:bearer\s+\S+|eyJ[\w-]+\.[\w-]+\.[\w-]*|[A-Za-z0-9_\-+/=.]{40,})$/i;
/** A path segment that looks like a credential: long, base64url, with digits and capitals (slugs have neither). */
const SECRET_SEGMENT = /^(?=[\w-]*\d)(?=[\w-]*[A-Z])[\w-]{32,}$/;
/** Credentials inside longer text, each replaced by the mask (a scheme or parameter name before it is kept). */
// Every pattern starts at a literal or a bounded prefix, and may start only where the character before cannot
// belong to it, so scanning stays linear on long text (a run of letters, or of "eyJ-", tries one start, not all).
const SECRET_TEXT: readonly [RegExp, string][] = [
  // JWTs first: a bearer credential is often one, and its signature must go with it.
  [/(?<![\w-])eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g, MASK],
  // A credential after its scheme word, all of it, when it looks like one (a digit, +, / or =, or 20 characters):
  // "token validation failed" stays.
  [
    /\b(bearer|basic|token|digest)(\s{1,8})(?=[A-Za-z._~-]{0,512}[\d+/=]|[A-Za-z0-9._~+/=-]{20})[A-Za-z0-9._~+/=-]{8,}/gi,
    `$1$2${MASK}`,
  ],
  [/\bsmk_[a-z2-7]{16}_[0-9A-Za-z]{8,}/g, MASK],
  [/\bsk[-_](?:live|test|proj|ant)?[-_]?[A-Za-z0-9_-]{16,}/g, MASK],
  [/\b([a-z][a-z0-9+.-]{0,31}:\/\/[^/\s:@]{0,256}:)[^@/\s]{1,1024}@/gi, `$1${MASK}@`],
  [
    /([?&;](?:code|token|access_token|id_token|refresh_token|api_?key|key|password|secret|signature|sig|state)=)[^&\s#]+/gi,
    `$1${MASK}`,
  ],
];
const MAX_STRING = 512;
/** Text longer than this is cut before it is scanned for credentials (then cut again to `MAX_STRING`). */
const MAX_SCANNED = 4 * MAX_STRING;
const MAX_DEPTH = 4;
const MAX_KEYS = 50;

/**
 * Masks credentials inside a text: bearer, basic and token credentials, JWTs, Smarter API keys, provider keys
 * (`sk-…`), URL passwords and secret query parameters. The rest of the text is kept; text past 2,048 characters is
 * dropped first, so the scan stays short whatever it is given.
 *
 * @example
 * redactCredentials('fetch https://u:pw@db/x?token=abc failed'); // 'fetch https://u:***@db/x?token=*** failed'
 */
export function redactCredentials(text: string): string {
  let out = text.length > MAX_SCANNED ? cutBeforeWord(text, MAX_SCANNED) : text;
  for (const [pattern, replacement] of SECRET_TEXT) out = out.replace(pattern, replacement);
  return out;
}

/**
 * `text` cut to at most `max` characters, at the last break (whitespace or one of `/ ? & # , ;`) before the cut: a
 * credential that crosses the cut would be too short to be recognised and would keep its first characters, so the
 * piece it is in goes too.
 *
 * @example
 * cutBeforeWord('retry with Bearer 4f9a…', 20); // 'retry with Bearer …'
 */
export function cutBeforeWord(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  while (end > 0 && !isBreak(text.charCodeAt(end - 1))) end--;
  return `${text.slice(0, end)}…`;
}

/** Whitespace, or `/ ? & # , ;`. */
function isBreak(code: number): boolean {
  return (
    code === 32 ||
    (code >= 9 && code <= 13) ||
    code === 47 ||
    code === 63 ||
    code === 38 ||
    code === 35 ||
    code === 44 ||
    code === 59
  );
}

/**
 * A string safe to write: a credential-looking value becomes `***`; a path keeps its segments except those that look
 * like credentials (a long slug such as `/api/v1/agents/customer-support-bot-prod/deploy` stays readable); any other
 * text has the credentials inside it masked; long strings are capped.
 */
function redactString(value: string): string {
  if (value.charCodeAt(0) === 47 /* / */ && !/\s/.test(value)) {
    const path = value.includes('?') ? redactCredentials(value) : value;
    const masked = path
      .split('/')
      .map((segment) => (SECRET_SEGMENT.test(segment) ? MASK : segment))
      .join('/');
    return masked.length > MAX_STRING ? `${masked.slice(0, MAX_STRING)}…` : masked;
  }
  if (SECRET_VALUE.test(value)) return MASK;
  const text = redactCredentials(value);
  return text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…` : text;
}

/**
 * Makes a value safe to write: secret-named keys and credential-looking strings become `***` (credentials inside
 * longer text too), `Secret` instances print as `***`, errors keep only their name, strings are capped, depth and
 * width are bounded, functions and symbols dropped.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (value instanceof Secret) return MASK;
  if (typeof value === 'string') return redactString(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.slice(0, MAX_KEYS).map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { name: value.name };
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const [key, v] of Object.entries(value)) {
    if (++n > MAX_KEYS) break;
    out[key] = isSecretKeyName(key) ? MASK : redact(v, depth + 1);
  }
  return out;
}
