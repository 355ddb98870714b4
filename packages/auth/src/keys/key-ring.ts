import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { SmarterConfigError } from '@smarter/security';
import { utf8 } from '../internal/bytes.ts';

/** A signing key ring: the first key signs, every key verifies (SPEC §17). */
export interface KeyRing {
  /** Key ids in order; the first is the signing key. */
  readonly ids: readonly string[];
  /** Raw key material by id. */
  readonly keys: ReadonlyMap<string, Uint8Array>;
  /**
   * Ids that values made before keys were named by fingerprint carry (`k0`, `k1`, … — positions, which a rotation
   * moves), each mapped to every key written without `id:`, the one now at that position first: such a value is
   * tried under each until one verifies. An explicit `id:` never appears here.
   */
  readonly legacyIds?: ReadonlyMap<string, readonly string[]>;
}

/** The ids a value carrying `id` may have been made under: `id` itself, or every candidate of a legacy id. */
export function candidateKeyIds(ring: KeyRing, id: string): readonly string[] {
  if (ring.keys.has(id)) return [id];
  return ring.legacyIds?.get(id) ?? [];
}

const FINGERPRINT = utf8('smarter/key-ring/id');

/**
 * The id of a key written without `id:`: `k_` and 12 hex digits of an HMAC of a constant under it. It follows the
 * key, not its place, so putting a new key first leaves the ids that stored values carry (API-key peppers, sealed
 * secrets, signed tokens) pointing at the keys that made them; and it tells nothing of the key.
 */
export function keyFingerprintId(material: Uint8Array): string {
  return `k_${bytesToHex(hmac(sha256, material, FINGERPRINT)).slice(0, 12)}`;
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
 * Parses `SMARTER_SECRET_KEYS` (comma separated; optional `id:` prefix on each key, else the id is the key's
 * fingerprint, see {@link keyFingerprintId}). To rotate, put the new key first and keep the old ones after it.
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
  const positional = new Map<string, string>();
  entries.forEach((entry, index) => {
    const match = /^([A-Za-z0-9_-]{1,32}):(.+)$/.exec(entry);
    const material = match?.[2] ?? entry;
    const bytes = utf8(material);
    const id = match?.[1] ?? keyFingerprintId(bytes);
    if (requireStrong && (material.length < minLength || WEAK.test(material) || new Set(material).size < 10)) {
      throw new SmarterConfigError(
        `Secret key ${match ? `"${match[1]}"` : index + 1} is weak: use at least ${minLength} random characters (for example: openssl rand -hex 32).`,
      );
    }
    if (keys.has(id)) throw new SmarterConfigError(`Secret key id "${id}" appears twice in SMARTER_SECRET_KEYS.`);
    ids.push(id);
    keys.set(id, bytes);
    if (!match) positional.set(`k${index}`, id);
  });
  const unlabelled = [...positional.values()];
  const legacyIds = new Map<string, readonly string[]>();
  // An explicit id always wins over a position.
  for (const [legacy, id] of positional) {
    if (!keys.has(legacy)) legacyIds.set(legacy, [id, ...unlabelled.filter((other) => other !== id)]);
  }
  return { ids, keys, legacyIds };
}
