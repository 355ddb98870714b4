import { SmarterConfigError } from '@smarter/security';

/** A signing key ring: the first key signs, every key verifies (SPEC §17). */
export interface KeyRing {
  /** Key ids in order; the first is the signing key. */
  readonly ids: readonly string[];
  /** Raw key material by id. */
  readonly keys: ReadonlyMap<string, Uint8Array>;
}

/** Options of {@link parseKeyRing}. */
export interface ParseKeyRingOptions {
  /** Refuse weak keys (production). @default true */
  readonly requireStrong?: boolean;
  /** Minimum key length in characters when `requireStrong`. @default 32 */
  readonly minLength?: number;
}

const WEAK = /^(?:changeme|secret|password|insecure|django-insecure.*|dev|test|x+|0+)$/i;

/**
 * Parses `SMARTER_SECRET_KEYS` (comma separated; optional `id:` prefix on each key).
 *
 * @example
 * const ring = parseKeyRing('k2:new-long-random-key…,k1:old-long-random-key…');
 */
export function parseKeyRing(source: string | undefined, options: ParseKeyRingOptions = {}): KeyRing {
  const requireStrong = options.requireStrong ?? true;
  const minLength = options.minLength ?? 32;
  const entries = (source ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (entries.length === 0) {
    throw new SmarterConfigError('SMARTER_SECRET_KEYS is empty: set at least one long random key (e.g. 64 hex chars).');
  }
  const ids: string[] = [];
  const keys = new Map<string, Uint8Array>();
  const encoder = new TextEncoder();
  entries.forEach((entry, index) => {
    const match = /^([A-Za-z0-9_-]{1,32}):(.+)$/.exec(entry);
    const id = match?.[1] ?? `k${index}`;
    const material = match?.[2] ?? entry;
    if (requireStrong && (material.length < minLength || WEAK.test(material) || new Set(material).size < 10)) {
      throw new SmarterConfigError(
        `Secret key "${id}" is weak: use at least ${minLength} random characters (for example: openssl rand -hex 32).`,
      );
    }
    if (keys.has(id)) throw new SmarterConfigError(`Secret key id "${id}" appears twice in SMARTER_SECRET_KEYS.`);
    ids.push(id);
    keys.set(id, encoder.encode(material));
  });
  return { ids, keys };
}
