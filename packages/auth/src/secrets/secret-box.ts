import { type Clock, SmarterError } from '@smarter/security';
import { fromBase64Url, fromUtf8, randomBytes, toBase64Url, utf8 } from '../internal/bytes.ts';
import { systemClock } from '../internal/clock.ts';
import { derivedKeys } from '../keys/derive.ts';
import type { KeyRing } from '../keys/key-ring.ts';

/** Options of {@link createSecretBox}. */
export interface SecretBoxOptions {
  /** Clock for expiry checks. @default Date.now */
  readonly now?: Clock;
}

/** What {@link SecretBox.encrypt} accepts besides the plaintext. */
export interface EncryptOptions {
  /** Epoch ms after which the secret no longer decrypts. @default never */
  readonly expiresAt?: number;
}

/** Encrypts stored secrets (an agent's LLM provider key, an OAuth client secret) at rest (SPEC §17). */
export interface SecretBox {
  /** `v1.<keyId>.<expiresAt|->.<iv>.<ciphertext>`; the expiry is authenticated, so it cannot be edited. */
  encrypt(plaintext: string, options?: EncryptOptions): Promise<string>;
  /** The plaintext; throws `SECRET_EXPIRED` past expiry and `SECRET_INVALID` when tampered or unknown. */
  decrypt(sealed: string): Promise<string>;
  /** True when `sealed` was encrypted under an older ring key and should be re-encrypted. */
  needsRotation(sealed: string): boolean;
}

const AES = { name: 'AES-GCM', length: 256 } as const;

function invalid(): SmarterError {
  return new SmarterError('SECRET_INVALID', 'Stored secret cannot be decrypted', { status: 500 });
}

/**
 * AES-256-GCM under a key derived from the ring (first encrypts, all decrypt), with a random 96-bit IV per secret.
 *
 * @example
 * const box = createSecretBox(ring);
 * const sealed = await box.encrypt(providerKey, { expiresAt: Date.now() + 90 * 86_400_000 });
 */
export function createSecretBox(ring: KeyRing, options: SecretBoxOptions = {}): SecretBox {
  const keys = derivedKeys(ring, 'secret-box:aes-gcm', AES, ['encrypt', 'decrypt']);
  const now = options.now ?? systemClock;
  return {
    async encrypt(plaintext, encryptOptions = {}) {
      const id = keys.currentId;
      const expires = encryptOptions.expiresAt === undefined ? '-' : String(Math.trunc(encryptOptions.expiresAt));
      const iv = randomBytes(12);
      const header = `v1.${id}.${expires}`;
      const key = (await keys.get(id)) as CryptoKey;
      const ciphertext = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: utf8(header) },
        key,
        utf8(plaintext),
      );
      return `${header}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(ciphertext))}`;
    },
    async decrypt(sealed) {
      const parts = sealed.split('.');
      if (parts.length !== 5 || parts[0] !== 'v1') throw invalid();
      const [, id = '', expires = '', ivText = '', ctText = ''] = parts;
      if (expires !== '-' && !/^\d+$/.test(expires)) throw invalid();
      if (expires !== '-' && now() >= Number(expires)) {
        throw new SmarterError('SECRET_EXPIRED', 'Stored secret has expired', { status: 409 });
      }
      const candidates = keys.candidates(id);
      const iv = fromBase64Url(ivText);
      const ciphertext = fromBase64Url(ctText);
      if (candidates.length === 0 || !iv || !ciphertext || iv.length !== 12) throw invalid();
      let failure: unknown;
      // One candidate, but for secrets sealed under a legacy positional id (see KeyRing.legacyIds).
      for (const key of candidates) {
        try {
          const plain = await crypto.subtle.decrypt(
            { name: 'AES-GCM', iv, additionalData: utf8(`v1.${id}.${expires}`) },
            await key,
            ciphertext,
          );
          return fromUtf8(new Uint8Array(plain));
        } catch (error) {
          failure = error;
        }
      }
      throw new SmarterError('SECRET_INVALID', 'Stored secret cannot be decrypted', { status: 500, cause: failure });
    },
    needsRotation(sealed) {
      return sealed.split('.')[1] !== keys.currentId;
    },
  };
}

/**
 * Masks a secret for output: only the last four characters show (`****abcd`); short values show nothing.
 *
 * @example
 * maskSecret('sk-live-1234567890abcd'); // '****abcd'
 */
export function maskSecret(value: string, visible = 4): string {
  if (value.length < visible * 3) return '****';
  return `****${value.slice(-visible)}`;
}
