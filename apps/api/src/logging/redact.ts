import { cutBeforeWord, isSmarterError, redactCredentials, Secret } from '@smarter/security';

/** What a redacted value is replaced by. */
export const REDACTED = '***';

/** Field names whose values are never printed, whatever their type (matched case-insensitively on the whole name). */
const SENSITIVE_KEY =
  /password|passwd|secret|authorization|cookie|api[-_]?key|credential|csrf(?:token|middlewaretoken)?$|session(?:id|key)?$|signature|pepper|private[-_]?key|access[-_]?key|token(?!s$|s?[-_]?count)|^(?:key|keys|hash|otp|pin)$/i;

/** Text patterns that look like credentials wherever they appear in a string (see also `redactCredentials`). */
const SENSITIVE_TEXT: readonly RegExp[] = [
  /\b(?:bearer|token|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\bsk[-_][A-Za-z0-9_-]{8,}/g,
  /\bsmarter_[A-Za-z0-9_-]{8,}/gi,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
  /\b([a-z][a-z0-9+.-]{0,31}:\/\/)[^@/\s?#]{0,256}@/gi,
];

const MAX_DEPTH = 6;
const MAX_STRING = 2_000;
const MAX_ITEMS = 50;

/**
 * Text that only a development logger prints whole: an emailed link with its one-time token, so a developer can
 * follow it (SPEC §14, console sender). `redact`, every other logger and `JSON.stringify` treat it as plain text and
 * mask the credentials inside it, so a production log never holds the token.
 */
export class DevelopmentText {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toJSON(): string {
    return redactText(this.text);
  }
}

/**
 * Marks a log field's text as printable whole by a development logger (see {@link DevelopmentText}).
 *
 * @example
 * logger.info('email', { to, text: developmentText(message.text) }); // token masked unless in development
 */
export function developmentText(text: string): DevelopmentText {
  return new DevelopmentText(text);
}

/** True when a field of this name must never be printed. */
export function isSensitiveKey(name: string): boolean {
  return SENSITIVE_KEY.test(name);
}

/** Masks credential-looking substrings (bearer tokens, API keys, JWTs, URL passwords) and bounds the length. */
export function redactText(text: string): string {
  // Cut at a break, not inside a word: a credential cut short would no longer be recognised and keep its start.
  let out = cutBeforeWord(text, MAX_STRING);
  for (const pattern of SENSITIVE_TEXT) {
    out = out.replace(pattern, (match, scheme?: string) =>
      typeof scheme === 'string' && match.endsWith('@') ? `${scheme}${REDACTED}@` : REDACTED,
    );
  }
  // The journal's patterns too: Smarter API keys (smk_…), secret query parameters, digest credentials.
  return redactCredentials(out);
}

/**
 * A deep copy of `value` that is safe to print: sensitive field names, `Secret`s, `Headers` values of sensitive
 * headers and credential-looking text are masked; errors keep only their name and code (never the stack or a
 * message that could hold a path or SQL); depth, size and cycles are bounded.
 *
 * @example
 * redact({ authorization: 'Bearer abc', user: 'u1' }); // { authorization: '***', user: 'u1' }
 */
export function redact(value: unknown): unknown {
  return walk(value, 0, new WeakSet());
}

function walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return `[${typeof value}]`;
  if (value instanceof Secret) return REDACTED;
  if (value instanceof DevelopmentText) return redactText(value.text);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Error) {
    return isSmarterError(value) ? { name: value.name, code: value.code } : { name: value.name };
  }
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
  if (depth >= MAX_DEPTH) return '[…]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (typeof Headers !== 'undefined' && value instanceof Headers) {
    const out: Record<string, unknown> = {};
    value.forEach((v, k) => {
      out[k] = isSensitiveKey(k) ? REDACTED : redactText(v);
    });
    return out;
  }
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => walk(v, depth + 1, seen));
    if (value.length > MAX_ITEMS) items.push(`[+${value.length - MAX_ITEMS}]`);
    return items;
  }
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const [k, v] of Object.entries(value)) {
    if (n++ >= MAX_ITEMS) {
      out['…'] = 'truncated';
      break;
    }
    // Flags and counts under a sensitive name (cookieSecure, secretKeysGenerated) cannot hold a secret.
    const harmless = v === undefined || v === null || typeof v === 'boolean';
    out[k] = isSensitiveKey(k) && !harmless ? REDACTED : walk(v, depth + 1, seen);
  }
  return out;
}
