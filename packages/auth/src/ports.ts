/**
 * Storage ports of @smarter/auth. Implemented by @smarter/data for every driver; an in-memory implementation
 * exists for unit tests only. Times are epoch milliseconds. Methods reject with a DataError when storage fails.
 */

/** A user's role: members manage their own keys, admins their account, superusers everything (SPEC §16). */
export type Role = 'superuser' | 'admin' | 'member';

export interface AccountRecord {
  readonly id: string;
  /** Random `####-####-####`. */
  readonly number: string;
  readonly name: string;
  readonly createdAt: number;
}

export interface UserRecord {
  readonly id: string;
  readonly accountId: string;
  /** Stored lower-cased; unique case-insensitively. */
  readonly email: string;
  readonly role: Role;
  readonly active: boolean;
  readonly emailVerified: boolean;
  /** PHC-style self-describing hash, or null for OAuth-only users. */
  readonly passwordHash: string | null;
  readonly passwordChangedAt: number | null;
  readonly lastLoginAt: number | null;
  readonly createdAt: number;
}

export interface ApiKeyRecord {
  /** Public key id (part of the token). */
  readonly id: string;
  readonly accountId: string;
  readonly userId: string;
  readonly name: string;
  readonly description: string;
  /** Keyed hash of the secret part (HMAC-SHA-256, base64url). */
  readonly hash: string;
  /** Id of the key-ring pepper that made `hash`. */
  readonly pepperId: string;
  readonly lastFour: string;
  readonly scopes: readonly string[];
  /** Agents this key is bound to; empty means not bound. */
  readonly agentIds: readonly string[];
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly lastUsedAt: number | null;
  readonly active: boolean;
  readonly revokedAt: number | null;
}

export interface SessionRecord {
  /** SHA-256 of the opaque session id (base64url); the id itself is never stored. */
  readonly idHash: string;
  readonly userId: string;
  readonly accountId: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  /** Absolute expiry. */
  readonly expiresAt: number;
}

/**
 * A provider account linked to a local user (SPEC §15): after the first sign-in, the provider's stable subject, not
 * the email it shows, says who signs in. One link per provider account, and one per provider for a user.
 */
export interface OAuthLinkRecord {
  /** The provider's id (`google`, `github`, `linkedin`). */
  readonly provider: string;
  /** The provider's stable account id (OpenID `sub`, GitHub's numeric id). */
  readonly subject: string;
  readonly userId: string;
  readonly createdAt: number;
}

export interface AccountRepository {
  create(input: Omit<AccountRecord, 'id' | 'createdAt'>): Promise<AccountRecord>;
  getById(id: string): Promise<AccountRecord | undefined>;
  getByNumber(accountNumber: string): Promise<AccountRecord | undefined>;
}

export type UserPatch = Partial<
  Pick<UserRecord, 'role' | 'active' | 'emailVerified' | 'passwordHash' | 'passwordChangedAt' | 'lastLoginAt'>
>;

export interface UserRepository {
  /** Rejects with a DataError `DATA_CONFLICT` when the email exists (case-insensitively). */
  create(input: Omit<UserRecord, 'id' | 'createdAt' | 'lastLoginAt' | 'passwordChangedAt'>): Promise<UserRecord>;
  getById(id: string): Promise<UserRecord | undefined>;
  /** Case-insensitive. */
  getByEmail(email: string): Promise<UserRecord | undefined>;
  listByAccount(accountId: string): Promise<UserRecord[]>;
  update(id: string, patch: UserPatch): Promise<UserRecord | undefined>;
}

export interface ApiKeyRepository {
  create(record: ApiKeyRecord): Promise<void>;
  getById(id: string): Promise<ApiKeyRecord | undefined>;
  /**
   * The key and its owner in one read (the hot path of a cold API-key verification: one round trip, not two).
   * `owner` is undefined when the user row is gone.
   */
  getWithOwner(id: string): Promise<{ key: ApiKeyRecord; owner: UserRecord | undefined } | undefined>;
  listByUser(userId: string): Promise<ApiKeyRecord[]>;
  listByAccount(accountId: string): Promise<ApiKeyRecord[]>;
  /** Every account's keys, oldest first (a superuser's key list). */
  listAll(): Promise<ApiKeyRecord[]>;
  /** Deactivates the key; true when it was active. */
  revoke(id: string, at: number): Promise<boolean>;
  /** Sets a new expiry (rotation grace period). */
  setExpiry(id: string, expiresAt: number): Promise<void>;
  /** Compare-and-swap: writes `at` only when last_used_at is null or older than `olderThan`; true when written. */
  touchLastUsed(id: string, at: number, olderThan: number): Promise<boolean>;
}

export interface SessionRepository {
  create(record: SessionRecord): Promise<void>;
  get(idHash: string): Promise<SessionRecord | undefined>;
  touch(idHash: string, lastSeenAt: number): Promise<void>;
  delete(idHash: string): Promise<void>;
  /** Ends every session of a user, optionally but one (the current one after a password change). */
  deleteByUser(userId: string, exceptIdHash?: string): Promise<number>;
}

export interface OAuthLinkRepository {
  /**
   * Records a link. Rejects with a DataError `DATA_CONFLICT` when the provider account is linked already, or the user
   * already has a link with this provider.
   */
  create(input: Omit<OAuthLinkRecord, 'createdAt'>): Promise<OAuthLinkRecord>;
  /** The link of a provider account. */
  get(provider: string, subject: string): Promise<OAuthLinkRecord | undefined>;
  /** A user's links, oldest first. */
  listByUser(userId: string): Promise<OAuthLinkRecord[]>;
  /** Removes a link (the user signs in with that provider account by email again); true when one was removed. */
  delete(provider: string, subject: string): Promise<boolean>;
}

/** Everything @smarter/auth stores. */
export interface AuthRepositories {
  readonly accounts: AccountRepository;
  readonly users: UserRepository;
  readonly keys: ApiKeyRepository;
  readonly sessions: SessionRepository;
  readonly oauthLinks: OAuthLinkRepository;
}
