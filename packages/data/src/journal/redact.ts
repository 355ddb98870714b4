import { isSecretKeyName, redactCredentials } from '@smarter/security';

const MAX_DEPTH = 5;
/** Longest details text stored, in characters; longer details are replaced by a marker. */
export const MAX_DETAILS_LENGTH = 8192;

function redactValue(value: unknown, depth: number): unknown {
  // Credentials inside text are masked whatever the key (the rest of the text is kept: an audit row keeps its
  // fingerprints, hosts and ids, which the stdout line may shorten or mask as merely opaque).
  if (typeof value === 'string') return redactCredentials(value);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol'
      ? String(value)
      : value;
  }
  // A driver's error carries SQL, bound values and file names in its own fields: keep only its name.
  if (value instanceof Error) return { name: value.name };
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 100).map((item) => redactValue(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    out[key] = isSecretKeyName(key) ? '***' : redactValue(item, depth + 1);
  return out;
}

/**
 * Details as stored: keys that name secrets become `***`, credentials inside text are masked and errors keep only
 * their name (the journal redacts again, whatever the caller did); depth and size are bounded. Undefined or empty
 * details are null.
 */
export function redactDetails(details: Readonly<Record<string, unknown>> | undefined): string | null {
  if (details === undefined || Object.keys(details).length === 0) return null;
  const text = JSON.stringify(redactValue(details, 0));
  return text.length > MAX_DETAILS_LENGTH ? JSON.stringify({ truncated: true }) : text;
}
