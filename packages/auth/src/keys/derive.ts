import { utf8 } from '../internal/bytes.ts';
import { candidateKeyIds, type KeyRing } from './key-ring.ts';

/** HKDF salt of every key derived from the ring. */
export const KEY_RING_SALT: Uint8Array<ArrayBuffer> = utf8('smarter/key-ring/v1');

/**
 * Derives a purpose-bound key from one ring key with HKDF-SHA-256, so that a CSRF token, an OAuth state cookie, an
 * API-key pepper and a secret-encryption key never share key material even though they share `SECRET_KEYS`.
 */
export async function deriveKey(
  material: Uint8Array,
  purpose: string,
  algorithm: HmacImportParams | AesKeyAlgorithm,
  usages: KeyUsage[],
): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', material as Uint8Array<ArrayBuffer>, 'HKDF', false, ['deriveKey']);
  const derived: AesDerivedKeyParams | HmacImportParams =
    algorithm.name === 'HMAC' ? { name: 'HMAC', hash: 'SHA-256', length: 256 } : { name: 'AES-GCM', length: 256 };
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: KEY_RING_SALT, info: utf8(purpose) },
    base,
    derived,
    false,
    usages,
  );
}

/** Lazily derived, cached values (keys, MACs) of one purpose for every id of a ring. */
export interface PerKeyId<T> {
  /** The id of the signing (first) key. */
  readonly currentId: string;
  /** The value for `id`, or undefined when the ring has no such id. */
  get(id: string): T | undefined;
  /** The values a value carrying `id` may have been made under (see `candidateKeyIds`); empty when none. */
  candidates(id: string): T[];
}

/** Lazily derived, cached keys of one purpose for every id of a ring. */
export type DerivedKeys = PerKeyId<Promise<CryptoKey>>;

/** Derives a value from each ring key on first use and caches it (first key signs, all verify). */
export function perKeyId<T>(ring: KeyRing, derive: (material: Uint8Array) => T): PerKeyId<T> {
  const cache = new Map<string, T>();
  const currentId = ring.ids[0];
  if (currentId === undefined) throw new TypeError('key ring is empty');
  function get(id: string): T | undefined {
    const cached = cache.get(id);
    if (cached !== undefined) return cached;
    const material = ring.keys.get(id);
    if (!material) return undefined;
    const value = derive(material);
    cache.set(id, value);
    return value;
  }
  return {
    currentId,
    get,
    candidates: (id) => candidateKeyIds(ring, id).map((candidate) => get(candidate) as T),
  };
}

/** Caches derived keys of one purpose for a ring (first signs, all verify). */
export function derivedKeys(
  ring: KeyRing,
  purpose: string,
  algorithm: HmacImportParams | AesKeyAlgorithm,
  usages: KeyUsage[],
): DerivedKeys {
  return perKeyId(ring, (material) => deriveKey(material, purpose, algorithm, usages));
}
