import {
  type Clock,
  type Journal,
  problemResponse,
  SmarterConfigError,
  SmarterError,
  type Store,
} from '@smarter/security';
import { sha256Base64Url } from '../internal/bytes.ts';
import { systemClock } from '../internal/clock.ts';
import { silentJournal } from '../internal/journal.ts';
import type { AuthRepositories, UserRecord } from '../ports.ts';
import type { PasswordHasher } from './password-hasher.ts';

/** Options of {@link createLoginService}. */
export interface LoginServiceOptions {
  readonly repositories: AuthRepositories;
  readonly hasher: PasswordHasher;
  /** Counts failures per IP and per account, on every instance. */
  readonly store: Store;
  readonly journal?: Journal;
  /** @default Date.now */
  readonly now?: Clock;
  /** Failures allowed per window before a lock. @default 10 */
  readonly maxFailures?: number;
  /** Failure window and lock length. @default 900000 (15 minutes) */
  readonly windowMs?: number;
  /**
   * Attempts, failed or not, one address may make per window; counted before the password is checked, so parallel
   * guesses spread over many accounts cannot all slip past the per-address failure lock while the hashes run.
   * Successes count too, so leave room for offices behind one address. @default 20 × maxFailures
   */
  readonly maxAttemptsPerAddress?: number;
  /** @default 'smarter:auth:' */
  readonly storePrefix?: string;
}

/** What a login attempt carries. */
export interface LoginAttempt {
  readonly email: string;
  readonly password: string;
  /** The client key (canonical IP) from the trusted-proxy model. */
  readonly clientKey: string;
  readonly requestId?: string | undefined;
}

/** Outcome of a login; every credential failure is the same `INVALID_CREDENTIALS`. */
export type LoginResult =
  | { readonly ok: true; readonly user: UserRecord }
  | { readonly ok: false; readonly code: 'INVALID_CREDENTIALS' }
  | { readonly ok: false; readonly code: 'LOGIN_THROTTLED'; readonly retryAfterSeconds: number };

/** Password login with uniform failures and throttling (SPEC §14). */
export interface LoginService {
  authenticate(attempt: LoginAttempt): Promise<LoginResult>;
}

/** Validates {@link LoginServiceOptions}. */
export function resolveLoginServiceOptions(options: LoginServiceOptions): {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly maxAttemptsPerAddress: number;
  readonly storePrefix: string;
} {
  const maxFailures = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 900_000;
  const maxAttemptsPerAddress = options.maxAttemptsPerAddress ?? 20 * maxFailures;
  if (!Number.isInteger(maxAttemptsPerAddress) || maxAttemptsPerAddress < maxFailures) {
    throw new SmarterConfigError('maxAttemptsPerAddress must be an integer no smaller than maxFailures.');
  }
  if (!Number.isInteger(maxFailures) || maxFailures < 1 || maxFailures > 1000) {
    throw new SmarterConfigError('maxFailures must be an integer from 1 to 1000 (default 10).');
  }
  if (!(windowMs >= 1000)) throw new SmarterConfigError('windowMs must be at least 1000 (default 900000).');
  if (!options.store || !options.hasher || !options.repositories) {
    throw new SmarterConfigError('createLoginService needs { repositories, hasher, store }.');
  }
  return { maxFailures, windowMs, maxAttemptsPerAddress, storePrefix: options.storePrefix ?? 'smarter:auth:' };
}

/**
 * Creates the login service. Unknown users cost a dummy hash, so their failure looks and takes like a wrong
 * password; locked IPs or accounts get `LOGIN_THROTTLED` with the seconds to wait. A store failure fails closed.
 *
 * @example
 * const result = await login.authenticate({ email, password, clientKey: c.var.clientIp });
 */
export function createLoginService(options: LoginServiceOptions): LoginService {
  const o = resolveLoginServiceOptions(options);
  const { repositories: repos, hasher, store } = options;
  const journal = options.journal ?? silentJournal;
  const now = options.now ?? systemClock;

  async function lockedFor(keys: readonly string[]): Promise<number> {
    let until = 0;
    for (const key of keys) {
      const value = await store.get(`${o.storePrefix}login-lock:${key}`);
      if (value !== undefined) until = Math.max(until, Number(value) || now() + o.windowMs);
    }
    return until;
  }

  /** Locks `key` until its failure window ends (once: a lock already there is kept) and journals it. */
  async function lock(key: string, resetAt: number, attempt: LoginAttempt, principal: string | undefined) {
    const ttl = Math.max(1000, resetAt - now());
    if (await store.setIfAbsent(`${o.storePrefix}login-lock:${key}`, String(now() + ttl), ttl)) {
      journal.emit({
        type: 'login.locked',
        severity: 'warning',
        clientKey: attempt.clientKey,
        principal,
        requestId: attempt.requestId,
        reason: key.startsWith('ip:') ? 'IP_LOCKED' : 'ACCOUNT_LOCKED',
      });
    }
  }

  /** Counts one failure against `key` and locks it at the limit. */
  async function countFailure(key: string, attempt: LoginAttempt, principal: string | undefined): Promise<void> {
    const { count, resetAt } = await store.increment(`${o.storePrefix}login-fail:${key}`, o.windowMs);
    if (count >= o.maxFailures) await lock(key, resetAt, attempt, principal);
  }

  const throttled = (until: number): LoginResult => ({
    ok: false,
    code: 'LOGIN_THROTTLED',
    retryAfterSeconds: Math.max(1, Math.ceil((until - now()) / 1000)),
  });

  return {
    async authenticate(attempt) {
      try {
        const email = attempt.email.trim().toLowerCase();
        const ipKey = `ip:${attempt.clientKey}`;
        const accountKey = `account:${await sha256Base64Url(email)}`;
        const until = await lockedFor([ipKey, accountKey]);
        if (until > now()) return throttled(until);
        // The attempt counts before the password is checked: parallel guesses would otherwise all pass the lock
        // check above while the slow hash runs, before any of their failures is recorded. Against the address first,
        // over every account it tries (its failures still lock it below), so that an address over its cap no longer
        // counts against the accounts it names; then against the account, whose count a success clears.
        const tried = await store.increment(`${o.storePrefix}login-attempt:${ipKey}`, o.windowMs);
        if (tried.count > o.maxAttemptsPerAddress) return throttled(tried.resetAt);
        const reserved = await store.increment(`${o.storePrefix}login-fail:${accountKey}`, o.windowMs);
        if (reserved.count > o.maxFailures) {
          await lock(accountKey, reserved.resetAt, attempt, undefined);
          return throttled(reserved.resetAt);
        }
        const user = email.length > 0 && email.length <= 254 ? await repos.users.getByEmail(email) : undefined;
        const check =
          user?.passwordHash && user.active
            ? await hasher.verify(attempt.password, user.passwordHash)
            : { ok: await hasher.verifyDummy(attempt.password), needsRehash: false };
        if (!user || !check.ok) {
          journal.emit({
            type: 'login.failed',
            severity: 'warning',
            clientKey: attempt.clientKey,
            principal: user?.id,
            requestId: attempt.requestId,
            reason: 'INVALID_CREDENTIALS',
          });
          if (reserved.count >= o.maxFailures) await lock(accountKey, reserved.resetAt, attempt, user?.id);
          await countFailure(ipKey, attempt, user?.id);
          return { ok: false, code: 'INVALID_CREDENTIALS' };
        }
        const patch: { lastLoginAt: number; passwordHash?: string } = { lastLoginAt: now() };
        if (check.needsRehash) {
          const upgraded = await hasher.hash(attempt.password);
          // Upgraded only while the stored hash is still the one checked: a reset that landed meanwhile is kept.
          const current = await repos.users.getById(user.id);
          if (current?.passwordHash === user.passwordHash) patch.passwordHash = upgraded;
        }
        const row = (await repos.users.update(user.id, patch)) ?? user;
        // The user as checked: a session started for it is refused if the password changed meanwhile (see sessions).
        const updated = {
          ...row,
          passwordHash: patch.passwordHash ?? user.passwordHash,
          passwordChangedAt: user.passwordChangedAt,
        };
        await store.delete(`${o.storePrefix}login-fail:${accountKey}`);
        journal.emit({
          type: 'auth.succeeded',
          severity: 'info',
          principal: user.id,
          account: user.accountId,
          clientKey: attempt.clientKey,
          requestId: attempt.requestId,
          reason: 'PASSWORD',
        });
        return { ok: true, user: updated };
      } catch (error) {
        throw new SmarterError('AUTH_UNAVAILABLE', 'Authentication is unavailable', { status: 503, cause: error });
      }
    },
  };
}

/**
 * The HTTP answer for a failed login: one uniform 401 for bad credentials, 429 with `Retry-After` when throttled.
 */
export function loginFailureResponse(result: Exclude<LoginResult, { ok: true }>, requestId?: string): Response {
  if (result.code === 'LOGIN_THROTTLED') {
    return problemResponse(
      { status: 429, code: 'LOGIN_THROTTLED', title: 'Too many failed logins', requestId },
      { 'retry-after': String(result.retryAfterSeconds), 'cache-control': 'no-store' },
    );
  }
  return problemResponse(
    { status: 401, code: 'INVALID_CREDENTIALS', title: 'Invalid email or password', requestId },
    { 'cache-control': 'no-store' },
  );
}
