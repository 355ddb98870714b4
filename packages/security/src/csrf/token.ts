import { SmarterConfigError } from '../errors/smarter-error.ts';
import { fromBase64Url, randomBytes, timingSafeEqual, toBase64Url, utf8 } from '../internal/bytes.ts';

const SECRET_BYTES = 32;
const DOMAIN = 'smarter.csrf.v1|';

/** A raw HMAC key: bytes, or a string used as UTF-8 bytes (at least 32 bytes either way). */
export type RawKey = string | Uint8Array;

/**
 * The CSRF token scheme (SPEC §9). The cookie holds `secret.signature`, where the signature is an HMAC-SHA-256 over
 * the session binding and the secret (key ring: the first key signs, every key verifies), so a cookie planted for
 * another session does not verify. Pages get the secret masked with a fresh one-time pad per response
 * (BREACH-safe); every masked form unmasks to the same secret, so several tabs stay valid together.
 */
export interface CsrfTokens {
  /** A new cookie value bound to `binding`, with its secret. */
  issue(binding: string): Promise<{ readonly cookie: string; readonly secret: Uint8Array }>;
  /** The secret of a cookie value when its signature verifies for `binding` with any key of the ring. */
  open(cookie: string, binding: string): Promise<Uint8Array | undefined>;
  /** A masked token for a secret (different on every call). */
  mask(secret: Uint8Array): string;
  /** True when a masked token unmasks to `secret`. */
  matches(token: string, secret: Uint8Array): boolean;
}

/** Builds the token scheme over a key ring; throws {@link SmarterConfigError} for missing or short keys. */
export function csrfTokens(keys: readonly RawKey[]): CsrfTokens {
  if (keys.length === 0)
    throw new SmarterConfigError('csrf: keys must hold at least one secret key (the first signs).');
  const raw = keys.map((k) => (typeof k === 'string' ? utf8(k) : new Uint8Array(k)));
  if (raw.some((k) => k.length < 32)) throw new SmarterConfigError('csrf: every key must be at least 32 bytes.');
  let imported: Promise<CryptoKey[]> | undefined;
  const ring = () =>
    (imported ??= Promise.all(
      raw.map((k) => crypto.subtle.importKey('raw', k, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])),
    ));
  const message = (binding: string, secret: Uint8Array) => utf8(`${DOMAIN}${binding}|${toBase64Url(secret)}`);

  return {
    async issue(binding) {
      const secret = randomBytes(SECRET_BYTES);
      const [signer] = await ring();
      const sig = new Uint8Array(await crypto.subtle.sign('HMAC', signer as CryptoKey, message(binding, secret)));
      return { cookie: `${toBase64Url(secret)}.${toBase64Url(sig)}`, secret };
    },
    async open(cookie, binding) {
      const dot = cookie.indexOf('.');
      if (dot < 0) return undefined;
      const secret = fromBase64Url(cookie.slice(0, dot));
      const sig = fromBase64Url(cookie.slice(dot + 1));
      if (!secret || !sig || secret.length !== SECRET_BYTES || sig.length !== 32) return undefined;
      const data = message(binding, secret);
      for (const key of await ring()) {
        if (await crypto.subtle.verify('HMAC', key, sig, data)) return secret;
      }
      return undefined;
    },
    mask(secret) {
      const pad = randomBytes(SECRET_BYTES);
      const out = new Uint8Array(SECRET_BYTES * 2);
      out.set(pad);
      for (let i = 0; i < SECRET_BYTES; i++) out[SECRET_BYTES + i] = (secret[i] as number) ^ (pad[i] as number);
      return toBase64Url(out);
    },
    matches(token, secret) {
      const bytes = fromBase64Url(token);
      if (!bytes || bytes.length !== SECRET_BYTES * 2) return false;
      const plain = new Uint8Array(SECRET_BYTES);
      for (let i = 0; i < SECRET_BYTES; i++) plain[i] = (bytes[SECRET_BYTES + i] as number) ^ (bytes[i] as number);
      return timingSafeEqual(plain, secret);
    },
  };
}
