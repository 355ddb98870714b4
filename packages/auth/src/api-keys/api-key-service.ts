import {
  type Clock,
  type Journal,
  SmarterConfigError,
  SmarterError,
  type Store,
  type WaitUntil,
} from '@smarter/security';
import { canManageKeysOf } from '../accounts/authorization.ts';
import { timingSafeEqualString, toBase64Url, utf8 } from '../internal/bytes.ts';
import { DAY_MS, systemClock } from '../internal/clock.ts';
import { silentJournal } from '../internal/journal.ts';
import type { KeyRing } from '../keys/key-ring.ts';
import { syncMacKeys } from '../keys/sync-hmac.ts';
import type { ApiKeyRecord, AuthRepositories, UserRecord } from '../ports.ts';
import { generateApiKey, maskApiKey, parseApiKey } from './format.ts';

/** Options of {@link createApiKeyService}. */
export interface ApiKeyServiceOptions {
  readonly repositories: AuthRepositories;
  /** Shared store: the revocation epoch, lifetime-warning markers. */
  readonly store: Store;
  /** The key ring; the API-key pepper is derived from it (first key for new keys, all keys verify). */
  readonly keyRing: KeyRing;
  readonly journal?: Journal;
  /** @default Date.now */
  readonly now?: Clock;
  /** Lifetime of a new key when the caller gives none. @default 365 days */
  readonly defaultLifetimeMs?: number;
  /** The longest lifetime a key may have; enforced at creation and at every verification. @default 1095 days */
  readonly maxLifetimeMs?: number;
  /** `key.lifetime_warning` events start this long before expiry or the maximum lifetime. @default 30 days */
  readonly warnBeforeMs?: number;
  /** How long a verified key is cached in this process; the cache also carries the revocation epoch. @default 5000 */
  readonly cacheTtlMs?: number;
  /** `last_used_at` is written at most this often per key. @default 300000 (5 minutes) */
  readonly lastUsedIntervalMs?: number;
  /** Prefix of the store keys. @default 'smarter:auth:' */
  readonly storePrefix?: string;
}

/** Input of {@link ApiKeyService.issue}. */
export interface IssueApiKeyInput {
  readonly name: string;
  readonly description?: string;
  /** Owner of the key. @default the actor */
  readonly userId?: string;
  readonly scopes?: readonly string[];
  readonly agentIds?: readonly string[];
  /** @default the service's default lifetime (365 days) */
  readonly expiresInMs?: number;
}

/** A newly created key: `token` is shown this once and never again. */
export interface IssuedApiKey {
  readonly token: string;
  readonly record: ApiKeyRecord;
}

/** Why a key was refused (journal only: the client always sees the same 401). */
export type ApiKeyFailure =
  | 'MALFORMED'
  | 'UNKNOWN_KEY'
  | 'BAD_SECRET'
  | 'REVOKED'
  | 'EXPIRED'
  | 'LIFETIME_EXCEEDED'
  | 'OWNER_INACTIVE'
  | 'ACCOUNT_MISMATCH'
  | 'AGENT_NOT_BOUND';

/** Result of {@link ApiKeyService.verify}. */
export type ApiKeyVerification =
  | { readonly ok: true; readonly key: ApiKeyRecord; readonly user: UserRecord }
  | { readonly ok: false; readonly reason: ApiKeyFailure; readonly keyId?: string };

/** Per-request context of a verification. */
export interface VerifyContext {
  /** The agent the request is for (agent hosts); bound keys only work for their agents. */
  readonly agentId?: string | undefined;
  /**
   * The account the request is for (an agent host's account). A key of another account is refused
   * (`ACCOUNT_MISMATCH`), bound or not, unless its owner is a superuser.
   */
  readonly accountId?: string | undefined;
  /** Schedules the `last_used_at` write past the response. */
  readonly waitUntil?: WaitUntil | undefined;
  readonly requestId?: string | undefined;
}

/** The actor that manages keys (the signed-in user). */
export type KeyActor = Pick<UserRecord, 'id' | 'accountId' | 'role' | 'active'>;

/** API keys: issue, verify, revoke, rotate, list (SPEC §12). */
export interface ApiKeyService {
  issue(actor: KeyActor, input: IssueApiKeyInput): Promise<IssuedApiKey>;
  verify(token: string, context?: VerifyContext): Promise<ApiKeyVerification>;
  /** Revokes at once on every instance (bumps the revocation epoch). False when not found or not permitted. */
  revoke(actor: KeyActor, id: string): Promise<boolean>;
  /** A new key with the same attributes; the old one expires after `graceMs`. */
  rotate(actor: KeyActor, id: string, graceMs?: number): Promise<IssuedApiKey | undefined>;
  /** Keys the actor may see: their own, or the account's for admins (but a superuser's), every one for superusers. */
  list(actor: KeyActor): Promise<ApiKeyRecord[]>;
}

/** Resolved, validated options. */
export interface ResolvedApiKeyServiceOptions {
  readonly defaultLifetimeMs: number;
  readonly maxLifetimeMs: number;
  readonly warnBeforeMs: number;
  readonly cacheTtlMs: number;
  readonly lastUsedIntervalMs: number;
  readonly storePrefix: string;
}

const KNOWN = new Set([
  'repositories',
  'store',
  'keyRing',
  'journal',
  'now',
  'defaultLifetimeMs',
  'maxLifetimeMs',
  'warnBeforeMs',
  'cacheTtlMs',
  'lastUsedIntervalMs',
  'storePrefix',
]);

/** Validates the options once; throws a {@link SmarterConfigError} that says what to write instead. */
export function resolveApiKeyServiceOptions(options: ApiKeyServiceOptions): ResolvedApiKeyServiceOptions {
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key))
      throw new SmarterConfigError(`Unknown API key option "${key}": use one of ${[...KNOWN].join(', ')}.`);
  }
  const maxLifetimeMs = options.maxLifetimeMs ?? 1095 * DAY_MS;
  const defaultLifetimeMs = options.defaultLifetimeMs ?? 365 * DAY_MS;
  const cacheTtlMs = options.cacheTtlMs ?? 5_000;
  if (!(maxLifetimeMs > 0) || maxLifetimeMs > 1095 * DAY_MS) {
    throw new SmarterConfigError('maxLifetimeMs must be positive and at most 1095 days (94608000000).');
  }
  if (!(defaultLifetimeMs > 0) || defaultLifetimeMs > maxLifetimeMs) {
    throw new SmarterConfigError('defaultLifetimeMs must be positive and not above maxLifetimeMs.');
  }
  if (!(cacheTtlMs >= 0) || cacheTtlMs > 60_000) {
    throw new SmarterConfigError('cacheTtlMs must be between 0 and 60000: revocation must take effect within seconds.');
  }
  return {
    defaultLifetimeMs,
    maxLifetimeMs,
    warnBeforeMs: options.warnBeforeMs ?? 30 * DAY_MS,
    cacheTtlMs,
    lastUsedIntervalMs: options.lastUsedIntervalMs ?? 300_000,
    storePrefix: options.storePrefix ?? 'smarter:auth:',
  };
}

interface CacheEntry {
  readonly secret: string;
  readonly key: ApiKeyRecord;
  readonly user: UserRecord;
  readonly epoch: string | undefined;
  readonly until: number;
}

const MAX_CACHE = 10_000;

/**
 * Creates the API-key service. Verification is constant-time and costs the same for unknown ids; a verified key is
 * cached for seconds in this process under the current revocation epoch, read from the shared store on every call,
 * so a revocation on any instance takes effect on the next request everywhere.
 *
 * @example
 * const keys = createApiKeyService({ repositories, store, keyRing });
 * const { token } = await keys.issue(user, { name: 'ci', scopes: ['agents:read'] });
 */
export function createApiKeyService(options: ApiKeyServiceOptions): ApiKeyService {
  const resolved = resolveApiKeyServiceOptions(options);
  const { repositories: repos, store } = options;
  const journal = options.journal ?? silentJournal;
  const now = options.now ?? systemClock;
  // Synchronous HMAC: the same MAC as a WebCrypto key of this purpose, without a thread-pool round trip per verify.
  const peppers = syncMacKeys(options.keyRing, 'api-key:pepper');
  const epochKey = `${resolved.storePrefix}key-epoch`;
  const cache = new Map<string, CacheEntry>();
  const touched = new Map<string, number>();
  // Unknown ids are compared against this, so they cost one HMAC and one comparison like known ones.
  const dummyHash = toBase64Url(new Uint8Array(32));

  function keyedHash(secret: string, pepperId: string): string {
    const pepper = peppers.get(pepperId) ?? peppers.get(peppers.currentId);
    return toBase64Url((pepper as NonNullable<typeof pepper>)(utf8(secret)));
  }

  /** A key stored under a legacy positional pepper id (see KeyRing.legacyIds) matches under one of its candidates. */
  function matchesLegacyPepper(secret: string, pepperId: string, hash: string): boolean {
    if (peppers.get(pepperId) !== undefined) return false;
    const message = utf8(secret);
    return peppers.candidates(pepperId).some((pepper) => timingSafeEqualString(toBase64Url(pepper(message)), hash));
  }

  async function readEpoch(): Promise<string | undefined> {
    try {
      return await store.get(epochKey);
    } catch (error) {
      journal.emit({ type: 'store.failed', severity: 'error', reason: 'KEY_EPOCH_UNAVAILABLE' });
      throw new SmarterError('AUTH_UNAVAILABLE', 'Authentication is unavailable', { status: 503, cause: error });
    }
  }

  async function bumpEpoch(): Promise<void> {
    cache.clear();
    await store.set(epochKey, crypto.randomUUID());
  }

  function check(key: ApiKeyRecord, user: UserRecord | undefined, context: VerifyContext, at: number) {
    if (!key.active || key.revokedAt !== null) return 'REVOKED';
    if (at >= key.expiresAt) return 'EXPIRED';
    if (at - key.createdAt > resolved.maxLifetimeMs || key.expiresAt - key.createdAt > resolved.maxLifetimeMs) {
      return 'LIFETIME_EXCEEDED';
    }
    if (!user?.active) return 'OWNER_INACTIVE';
    if (user.accountId !== key.accountId) return 'ACCOUNT_MISMATCH';
    if (context.accountId !== undefined && context.accountId !== key.accountId && user.role !== 'superuser') {
      return 'ACCOUNT_MISMATCH';
    }
    if (key.agentIds.length > 0 && (context.agentId === undefined || !key.agentIds.includes(context.agentId))) {
      return 'AGENT_NOT_BOUND';
    }
    return undefined;
  }

  function afterUse(key: ApiKeyRecord, context: VerifyContext, at: number): void {
    const last = touched.get(key.id) ?? key.lastUsedAt ?? 0;
    if (at - last >= resolved.lastUsedIntervalMs) {
      touched.set(key.id, at);
      if (touched.size > MAX_CACHE) touched.delete(touched.keys().next().value as string);
      const write = repos.keys.touchLastUsed(key.id, at, at - resolved.lastUsedIntervalMs + 1).catch(() => false);
      context.waitUntil?.(write);
    }
    const end = Math.min(key.expiresAt, key.createdAt + resolved.maxLifetimeMs);
    if (end - at <= resolved.warnBeforeMs) {
      const warn = store
        .setIfAbsent(`${resolved.storePrefix}key-warned:${key.id}`, '1', DAY_MS)
        .then((first) => {
          if (first) {
            journal.emit({
              type: 'key.lifetime_warning',
              severity: 'warning',
              principal: key.id,
              account: key.accountId,
              requestId: context.requestId,
              details: { expiresAt: new Date(end).toISOString(), key: maskApiKey(key.lastFour) },
            });
          }
        })
        .catch(() => {});
      context.waitUntil?.(warn);
    }
  }

  function remember(entry: CacheEntry): void {
    if (resolved.cacheTtlMs === 0) return;
    if (cache.size >= MAX_CACHE) cache.delete(cache.keys().next().value as string);
    cache.set(entry.key.id, entry);
  }

  async function issueFor(owner: UserRecord, input: IssueApiKeyInput, at: number): Promise<IssuedApiKey> {
    const lifetime = input.expiresInMs ?? resolved.defaultLifetimeMs;
    if (!Number.isFinite(lifetime) || lifetime <= 0 || lifetime > resolved.maxLifetimeMs) {
      throw new SmarterError('KEY_LIFETIME_INVALID', 'Key lifetime is out of range', {
        status: 400,
        detail: `A key may live at most ${Math.floor(resolved.maxLifetimeMs / DAY_MS)} days.`,
      });
    }
    const generated = generateApiKey();
    const pepperId = peppers.currentId;
    const record: ApiKeyRecord = {
      id: generated.id,
      accountId: owner.accountId,
      userId: owner.id,
      name: input.name,
      description: input.description ?? '',
      hash: keyedHash(generated.secret, pepperId),
      pepperId,
      lastFour: generated.token.slice(-4),
      scopes: [...new Set(input.scopes ?? [])],
      agentIds: [...new Set(input.agentIds ?? [])],
      createdAt: at,
      expiresAt: at + lifetime,
      lastUsedAt: null,
      active: true,
      revokedAt: null,
    };
    await repos.keys.create(record);
    journal.emit({
      type: 'key.created',
      severity: 'notice',
      principal: record.id,
      account: record.accountId,
      details: { owner: owner.id, key: maskApiKey(record.lastFour), scopes: record.scopes },
    });
    return { token: generated.token, record };
  }

  /** The key and its owner when the actor may manage it (one read for both). */
  async function manageable(
    actor: KeyActor,
    id: string,
  ): Promise<{ key: ApiKeyRecord; owner: UserRecord } | undefined> {
    if (!actor.active) return undefined;
    const found = await repos.keys.getWithOwner(id);
    const owner = found?.owner;
    if (!found || !owner) return undefined;
    const scope = { id: owner.id, accountId: found.key.accountId, role: owner.role };
    return canManageKeysOf(actor, scope) ? { key: found.key, owner } : undefined;
  }

  return {
    async issue(actor, input) {
      const owner = await repos.users.getById(input.userId ?? actor.id);
      if (!owner?.active || !actor.active || !canManageKeysOf(actor, owner)) {
        throw new SmarterError('NOT_FOUND', 'Not found', { status: 404 });
      }
      return issueFor(owner, input, now());
    },

    async verify(token, context = {}) {
      const parsed = parseApiKey(token);
      if (!parsed) return { ok: false, reason: 'MALFORMED' };
      const epoch = await readEpoch();
      const at = now();
      const cached = cache.get(parsed.id);
      if (
        cached &&
        cached.epoch === epoch &&
        cached.until > at &&
        timingSafeEqualString(cached.secret, parsed.secret)
      ) {
        const reason = check(cached.key, cached.user, context, at);
        if (reason) return { ok: false, reason, keyId: parsed.id };
        afterUse(cached.key, context, at);
        return { ok: true, key: cached.key, user: cached.user };
      }
      const found = await repos.keys.getWithOwner(parsed.id);
      const key = found?.key;
      const presented = keyedHash(parsed.secret, key?.pepperId ?? peppers.currentId);
      const matches =
        timingSafeEqualString(presented, key?.hash ?? dummyHash) ||
        (key !== undefined && matchesLegacyPepper(parsed.secret, key.pepperId, key.hash));
      if (!key) return { ok: false, reason: 'UNKNOWN_KEY' };
      if (!matches) return { ok: false, reason: 'BAD_SECRET', keyId: key.id };
      const user = found.owner;
      const reason = check(key, user, context, at);
      if (reason === 'LIFETIME_EXCEEDED') {
        journal.emit({
          type: 'key.lifetime_exceeded',
          severity: 'warning',
          principal: key.id,
          account: key.accountId,
          requestId: context.requestId,
          reason,
        });
      }
      if (reason || !user) return { ok: false, reason: reason ?? 'OWNER_INACTIVE', keyId: key.id };
      remember({ secret: parsed.secret, key, user, epoch, until: at + resolved.cacheTtlMs });
      afterUse(key, context, at);
      return { ok: true, key, user };
    },

    async revoke(actor, id) {
      const key = (await manageable(actor, id))?.key;
      if (!key) return false;
      const revoked = await repos.keys.revoke(id, now());
      await bumpEpoch();
      if (revoked) {
        journal.emit({
          type: 'key.revoked',
          severity: 'notice',
          principal: id,
          account: key.accountId,
          details: { by: actor.id, key: maskApiKey(key.lastFour) },
        });
      }
      return revoked;
    },

    async rotate(actor, id, graceMs = DAY_MS) {
      const found = await manageable(actor, id);
      const old = found?.key;
      if (!found || !old?.active || old.revokedAt !== null) return undefined;
      const at = now();
      // A key that no longer verifies (expired, or past the maximum lifetime) is not renewed by rotating it.
      if (at >= old.expiresAt || at - old.createdAt > resolved.maxLifetimeMs) return undefined;
      const owner = found.owner;
      if (!owner.active) return undefined;
      const lifetime = Math.min(resolved.defaultLifetimeMs, resolved.maxLifetimeMs);
      const issued = await issueFor(
        owner,
        {
          name: old.name,
          description: old.description,
          scopes: old.scopes,
          agentIds: old.agentIds,
          expiresInMs: lifetime,
        },
        at,
      );
      await repos.keys.setExpiry(old.id, Math.min(old.expiresAt, at + Math.max(0, graceMs)));
      await bumpEpoch();
      journal.emit({
        type: 'key.rotated',
        severity: 'notice',
        principal: old.id,
        account: old.accountId,
        details: { replacement: issued.record.id, graceMs },
      });
      return issued;
    },

    async list(actor) {
      if (!actor.active) return [];
      if (actor.role === 'member') return repos.keys.listByUser(actor.id);
      // A superuser manages every account's keys (revoke and rotate cross accounts), so it sees them all.
      if (actor.role === 'superuser') return repos.keys.listAll();
      const keys = await repos.keys.listByAccount(actor.accountId);
      // An admin sees the keys it may manage: its account's, but not a superuser's there.
      const superusers = new Set(
        (await repos.users.listByAccount(actor.accountId)).filter((u) => u.role === 'superuser').map((u) => u.id),
      );
      return superusers.size === 0 ? keys : keys.filter((k) => !superusers.has(k.userId));
    },
  };
}
