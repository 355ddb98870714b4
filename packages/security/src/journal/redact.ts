import { Secret } from '../errors/secret.ts';

const MASK = '***';
/** Keys whose values are never written, whatever they hold. */
const SECRET_KEY = /pass|secret|token|cookie|authori[sz]ation|api[-_]?key|session|csrf|credential|private|signature/i;
/** Values that look like credentials (long opaque strings, bearer tokens, JWTs). */
const SECRET_VALUE = /^(?:bearer\s+\S+|eyJ[\w-]+\.[\w-]+\.[\w-]*|[A-Za-z0-9_\-+/=.]{40,})$/i;
const MAX_STRING = 512;
const MAX_DEPTH = 4;
const MAX_KEYS = 50;

/**
 * Makes a value safe to write: secret-named keys and credential-looking strings become `***`, `Secret` instances
 * print as `***`, strings are capped, depth and width are bounded, functions and symbols dropped.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (value instanceof Secret) return MASK;
  if (typeof value === 'string') {
    if (SECRET_VALUE.test(value)) return MASK;
    return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  }
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
    out[key] = SECRET_KEY.test(key) ? MASK : redact(v, depth + 1);
  }
  return out;
}
