import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from '../internal/bytes.ts';
import { KEY_RING_SALT, type PerKeyId, perKeyId } from './derive.ts';
import type { KeyRing } from './key-ring.ts';

/** A synchronous HMAC-SHA-256 under one derived key. */
export type SyncMac = (message: Uint8Array) => Uint8Array;

/** Synchronous HMAC keys of one purpose for every id of a ring (first signs, all verify). */
export type SyncMacKeys = PerKeyId<SyncMac>;

/**
 * HMAC-SHA-256 keys derived exactly as {@link deriveKey} derives a WebCrypto HMAC key (HKDF-SHA-256, the ring salt,
 * `purpose` as info, 32 bytes), but usable synchronously (@noble/hashes). For hot paths such as API-key verification,
 * where WebCrypto's asynchronous sign costs a thread-pool round trip (tens of µs on Node) for a 2 µs computation.
 * The MACs equal those of the WebCrypto key of the same purpose, so stored values stay valid (a test proves it).
 */
export function syncMacKeys(ring: KeyRing, purpose: string): SyncMacKeys {
  const info = utf8(purpose);
  return perKeyId(ring, (material) => {
    // The keyed inner/outer state is computed once; each MAC clones it.
    const keyed = hmac.create(sha256, hkdf(sha256, material, KEY_RING_SALT, info, 32));
    return (message: Uint8Array) => keyed.clone().update(message).digest();
  });
}
