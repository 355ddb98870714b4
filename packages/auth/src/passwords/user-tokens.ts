import { type Clock, SmarterConfigError, type Store } from '@smarter/security';
import { fromBase64Url, fromUtf8, sha256Base64Url, timingSafeEqual, toBase64Url, utf8 } from '../internal/bytes.ts';
import { DAY_MS, systemClock } from '../internal/clock.ts';
import type { KeyRing } from '../keys/key-ring.ts';
import { createSigner } from '../keys/signer.ts';
import type { AuthRepositories, UserRecord } from '../ports.ts';

/** What a one-time user token is for. */
export type UserTokenPurpose = 'password-reset' | 'activation';

/** Options of {@link createUserTokens}. */
export interface UserTokensOptions {
  readonly keyRing: KeyRing;
  readonly repositories: AuthRepositories;
  /** Marks used tokens (single use on every instance). */
  readonly store: Store;
  /** @default Date.now */
  readonly now?: Clock;
  /** @default 86400000 (24 hours) */
  readonly ttlMs?: number;
  /** @default 'smarter:auth:' */
  readonly storePrefix?: string;
}

/** Password-reset and activation tokens (SPEC §14). */
export interface UserTokens {
  /** A token bound to the user's current state: it dies when the password, login time, email or flags change. */
  create(purpose: UserTokenPurpose, user: UserRecord): Promise<string>;
  /** The user when the token is valid, unexpired and unused; does not use it up. */
  check(purpose: UserTokenPurpose, token: string): Promise<UserRecord | undefined>;
  /** Like `check`, and marks the token used: a second call with the same token gets undefined. */
  consume(purpose: UserTokenPurpose, token: string): Promise<UserRecord | undefined>;
  /**
   * Voids every token issued to the user until now, whatever state they return to (a deactivated user reactivated
   * later gets none of their old links back).
   */
  revokeAll(userId: string): Promise<void>;
}

function state(purpose: UserTokenPurpose, user: UserRecord, issuedAt: number): string {
  return [
    purpose,
    user.id,
    issuedAt,
    user.email,
    user.passwordHash ?? '',
    user.passwordChangedAt ?? '',
    user.lastLoginAt ?? '',
    user.active,
    user.emailVerified,
  ].join('|');
}

/**
 * HMAC tokens `<user id>.<issued, base36>.<key id>.<mac>`, valid 24 hours, single use.
 *
 * @example
 * const token = await tokens.create('password-reset', user);
 * await email.send({ to: user.email, subject: 'Reset', text: userTokenLink(config.baseUrl, '/reset', token) });
 */
export function createUserTokens(options: UserTokensOptions): UserTokens {
  const signer = createSigner(options.keyRing, 'user-token');
  const now = options.now ?? systemClock;
  const ttlMs = options.ttlMs ?? DAY_MS;
  if (!(ttlMs > 0) || ttlMs > 7 * DAY_MS)
    throw new SmarterConfigError('ttlMs must be positive and at most 7 days (default 24 hours).');
  const prefix = options.storePrefix ?? 'smarter:auth:';

  async function check(purpose: UserTokenPurpose, token: string): Promise<UserRecord | undefined> {
    const parts = token.split('.');
    if (parts.length !== 4 || token.length > 512) return undefined;
    const [uidText = '', issuedText = '', keyId = '', macText = ''] = parts;
    const uidBytes = fromBase64Url(uidText);
    const mac = fromBase64Url(macText);
    if (!uidBytes || !mac || !/^[0-9a-z]{1,12}$/.test(issuedText)) return undefined;
    const issuedAt = Number.parseInt(issuedText, 36);
    const at = now();
    if (!(issuedAt <= at && at < issuedAt + ttlMs)) return undefined;
    let userId: string;
    try {
      userId = fromUtf8(uidBytes);
    } catch {
      return undefined;
    }
    const user = await options.repositories.users.getById(userId);
    if (!user) return undefined;
    const revokedAt = await options.store.get(`${prefix}token-revoked:${userId}`);
    if (revokedAt !== undefined && issuedAt <= Number(revokedAt)) return undefined;
    const expected = await signer.mac(state(purpose, user, issuedAt), keyId);
    return expected && timingSafeEqual(expected, mac) ? user : undefined;
  }

  return {
    async create(purpose, user) {
      const issuedAt = now();
      const mac = (await signer.mac(state(purpose, user, issuedAt))) as Uint8Array;
      return `${toBase64Url(utf8(user.id))}.${issuedAt.toString(36)}.${signer.currentKeyId}.${toBase64Url(mac)}`;
    },
    check,
    async consume(purpose, token) {
      const user = await check(purpose, token);
      if (!user) return undefined;
      const first = await options.store.setIfAbsent(`${prefix}token-used:${await sha256Base64Url(token)}`, '1', ttlMs);
      return first ? user : undefined;
    },
    async revokeAll(userId) {
      // Kept as long as a token lives; a token issued in the same millisecond is void too.
      await options.store.set(`${prefix}token-revoked:${userId}`, String(now()), ttlMs);
    },
  };
}

/**
 * Builds an emailed link from the configured base URL, never from the request's Host.
 *
 * @example
 * userTokenLink('https://app.example.com', '/reset', token); // https://app.example.com/reset?token=…
 */
export function userTokenLink(baseUrl: string, path: string, token: string): string {
  const url = new URL(path, baseUrl);
  if (url.protocol !== 'https:' && url.hostname !== 'localhost' && url.hostname !== '127.0.0.1') {
    throw new SmarterConfigError('Link base URL must be https (plain http only for localhost).');
  }
  url.searchParams.set('token', token);
  return url.toString();
}
