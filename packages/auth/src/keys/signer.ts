import { fromBase64Url, toBase64Url, utf8 } from '../internal/bytes.ts';
import { derivedKeys } from './derive.ts';
import type { KeyRing } from './key-ring.ts';

/** Signs short values with the key ring: the first key signs, every key verifies (SPEC §17). */
export interface Signer {
  /** `value.keyId.signature` (base64url HMAC-SHA-256 over purpose, key id and value). */
  sign(value: string): Promise<string>;
  /** The value when the signature verifies under any ring key, else undefined. */
  verify(signed: string): Promise<string | undefined>;
  /** Raw HMAC of `data` under the current key (for tokens that embed the key id themselves). */
  mac(data: string, keyId?: string): Promise<Uint8Array | undefined>;
  /** The id of the signing key. */
  readonly currentKeyId: string;
}

const HMAC = { name: 'HMAC', hash: 'SHA-256' } as const;

/**
 * A {@link Signer} for one purpose. Keys for different purposes are derived separately, so a signature made for
 * OAuth state never verifies as a CSRF token.
 *
 * @example
 * const cookies = createSigner(ring, 'oauth-state');
 * const value = await cookies.sign(JSON.stringify(state));
 */
export function createSigner(ring: KeyRing, purpose: string): Signer {
  const keys = derivedKeys(ring, `signer:${purpose}`, HMAC, ['sign', 'verify']);
  async function mac(data: string, keyId: string = keys.currentId): Promise<Uint8Array | undefined> {
    const key = keys.get(keyId);
    if (!key) return undefined;
    return new Uint8Array(await crypto.subtle.sign('HMAC', await key, utf8(data)));
  }
  return {
    currentKeyId: keys.currentId,
    mac,
    async sign(value) {
      const id = keys.currentId;
      const signature = (await mac(`${id}.${value}`, id)) as Uint8Array;
      return `${value}.${id}.${toBase64Url(signature)}`;
    },
    async verify(signed) {
      const last = signed.lastIndexOf('.');
      const middle = signed.lastIndexOf('.', last - 1);
      if (last < 0 || middle < 0) return undefined;
      const value = signed.slice(0, middle);
      const id = signed.slice(middle + 1, last);
      const signature = fromBase64Url(signed.slice(last + 1));
      if (!signature) return undefined;
      // One candidate, but for values made under a legacy positional id (see KeyRing.legacyIds).
      for (const key of keys.candidates(id)) {
        // crypto.subtle.verify compares in constant time.
        if (await crypto.subtle.verify('HMAC', await key, signature, utf8(`${id}.${value}`))) return value;
      }
      return undefined;
    },
  };
}
