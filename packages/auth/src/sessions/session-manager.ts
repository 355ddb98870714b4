import { type Clock, type Journal, requestIdOf, SmarterConfigError, SmarterError } from '@smarter/security';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { randomBytes, sha256Base64Url, toBase64Url } from '../internal/bytes.ts';
import { systemClock } from '../internal/clock.ts';
import { silentJournal } from '../internal/journal.ts';
import type { AuthRepositories, UserRecord } from '../ports.ts';
import type { AuthVariables, SessionPrincipal } from '../principal/principal.ts';
import { authChallenge, unauthenticatedResponse } from '../principal/unauthenticated.ts';

/** Options of {@link createSessionManager}. */
export interface SessionManagerOptions {
  readonly repositories: AuthRepositories;
  readonly journal?: Journal;
  /** @default Date.now */
  readonly now?: Clock;
  /** A session unused this long ends. @default 43200000 (12 hours) */
  readonly idleTimeoutMs?: number;
  /** A session ends this long after login, used or not. @default 1209600000 (14 days) */
  readonly absoluteTimeoutMs?: number;
  /** `last_seen_at` is written at most this often. @default 60000 */
  readonly touchIntervalMs?: number;
  /** Cookie name without prefix; the `__Host-` prefix is added. @default 'smarter_session' */
  readonly cookieName?: string;
  /**
   * Plain-http local development only: drops `Secure` and the `__Host-` prefix. Never in production.
   * @default false
   */
  readonly dangerouslyAllowInsecureCookies?: boolean;
}

/** Resolved options of {@link createSessionManager}. */
export interface ResolvedSessionManagerOptions {
  readonly idleTimeoutMs: number;
  readonly absoluteTimeoutMs: number;
  readonly touchIntervalMs: number;
  /** The full cookie name, prefix included. */
  readonly cookieName: string;
  /** Cookie attributes after the value. */
  readonly cookieAttributes: string;
}

const KNOWN = new Set([
  'repositories',
  'journal',
  'now',
  'idleTimeoutMs',
  'absoluteTimeoutMs',
  'touchIntervalMs',
  'cookieName',
  'dangerouslyAllowInsecureCookies',
]);

/** Validates session options; throws a {@link SmarterConfigError} that says what to write instead. */
export function resolveSessionManagerOptions(options: SessionManagerOptions): ResolvedSessionManagerOptions {
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key))
      throw new SmarterConfigError(`Unknown session option "${key}": use one of ${[...KNOWN].join(', ')}.`);
  }
  const idleTimeoutMs = options.idleTimeoutMs ?? 12 * 3_600_000;
  const absoluteTimeoutMs = options.absoluteTimeoutMs ?? 14 * 86_400_000;
  if (!(idleTimeoutMs > 0) || !(absoluteTimeoutMs >= idleTimeoutMs)) {
    throw new SmarterConfigError('idleTimeoutMs must be positive and not above absoluteTimeoutMs.');
  }
  const base = options.cookieName ?? 'smarter_session';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(base) || base.startsWith('__')) {
    throw new SmarterConfigError(
      'cookieName must be letters, digits, "_" or "-" without a prefix (the __Host- prefix is added).',
    );
  }
  const insecure = options.dangerouslyAllowInsecureCookies === true;
  return {
    idleTimeoutMs,
    absoluteTimeoutMs,
    touchIntervalMs: options.touchIntervalMs ?? 60_000,
    cookieName: insecure ? base : `__Host-${base}`,
    cookieAttributes: `Path=/; HttpOnly; SameSite=Lax${insecure ? '' : '; Secure'}`,
  };
}

/** Server-side sessions with opaque 256-bit ids stored by hash (SPEC §13). */
export interface SessionManager {
  readonly options: ResolvedSessionManagerOptions;
  /** Starts a session for `user` (rotating any current one) and sets the cookie. */
  login(c: Context, user: UserRecord): Promise<SessionPrincipal>;
  /** Rotates the current session id (privilege change); the old id stops working. */
  rotate(c: Context): Promise<SessionPrincipal | undefined>;
  /** Deletes the current session server-side and expires the cookie. */
  logout(c: Context): Promise<void>;
  /** The session of this request, validated (idle, absolute, user active), or undefined. */
  read(c: Context): Promise<SessionPrincipal | undefined>;
  /** Ends every session of the user (password reset); returns how many ended. */
  endAll(userId: string): Promise<number>;
  /** After a password change: ends every session of the user and gives the current request a fresh one. */
  passwordChanged(c: Context, user: UserRecord): Promise<SessionPrincipal>;
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/**
 * Creates the session manager.
 *
 * @example
 * const sessions = createSessionManager({ repositories });
 * app.post('/login', async (c) => { …; await sessions.login(c, user); return c.redirect('/'); });
 */
export function createSessionManager(options: SessionManagerOptions): SessionManager {
  const o = resolveSessionManagerOptions(options);
  const repos = options.repositories;
  const journal = options.journal ?? silentJournal;
  const now = options.now ?? systemClock;

  function setCookie(c: Context, id: string, maxAgeMs: number): void {
    c.header(
      'set-cookie',
      `${o.cookieName}=${id}; Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}; ${o.cookieAttributes}`,
      {
        append: true,
      },
    );
  }

  function clearCookie(c: Context): void {
    c.header('set-cookie', `${o.cookieName}=; Max-Age=0; ${o.cookieAttributes}`, { append: true });
  }

  async function currentHash(c: Context): Promise<string | undefined> {
    const id = getCookie(c, o.cookieName);
    return id && SESSION_ID.test(id) ? sha256Base64Url(id) : undefined;
  }

  /**
   * Starts a session under a new id. `lifetime` carries over the start and end of a session being rotated: a new id
   * for the same sign-in does not restart its absolute timeout.
   */
  async function start(
    c: Context,
    user: UserRecord,
    lifetime?: { readonly createdAt: number; readonly expiresAt: number },
  ): Promise<SessionPrincipal> {
    const id = toBase64Url(randomBytes(32));
    const idHash = await sha256Base64Url(id);
    const at = now();
    const expiresAt = lifetime?.expiresAt ?? at + o.absoluteTimeoutMs;
    await repos.sessions.create({
      idHash,
      userId: user.id,
      accountId: user.accountId,
      createdAt: lifetime?.createdAt ?? at,
      lastSeenAt: at,
      expiresAt,
    });
    setCookie(c, id, Math.max(0, expiresAt - at));
    const principal: SessionPrincipal = {
      kind: 'session',
      userId: user.id,
      accountId: user.accountId,
      role: user.role,
      sessionIdHash: idHash,
    };
    c.set('principal', principal);
    journal.emit({
      type: 'session.created',
      severity: 'info',
      principal: user.id,
      account: user.accountId,
      requestId: requestIdOf(c),
    });
    return principal;
  }

  async function read(c: Context): Promise<SessionPrincipal | undefined> {
    const idHash = await currentHash(c);
    if (!idHash) return undefined;
    const session = await repos.sessions.get(idHash);
    if (!session) return undefined;
    const at = now();
    if (at >= session.expiresAt || at - session.lastSeenAt >= o.idleTimeoutMs) {
      await repos.sessions.delete(idHash);
      return undefined;
    }
    const user = await repos.users.getById(session.userId);
    if (!user?.active || user.accountId !== session.accountId) return undefined;
    // A session signed in before the password last changed ends, even if ending the user's sessions then failed.
    if (user.passwordChangedAt !== null && session.createdAt < user.passwordChangedAt) {
      await repos.sessions.delete(idHash);
      return undefined;
    }
    if (at - session.lastSeenAt >= o.touchIntervalMs) await repos.sessions.touch(idHash, at);
    return { kind: 'session', userId: user.id, accountId: user.accountId, role: user.role, sessionIdHash: idHash };
  }

  return {
    options: o,
    async login(c, user) {
      const old = await currentHash(c);
      if (old) await repos.sessions.delete(old);
      const principal = await start(c, user);
      // The password may have been reset while it was being checked: a session made for the password of before never
      // outlives the reset (checked after the write, so a reset that ends the user's sessions first is seen here).
      const fresh = await repos.users.getById(user.id);
      if (
        !fresh?.active ||
        fresh.passwordHash !== user.passwordHash ||
        fresh.passwordChangedAt !== user.passwordChangedAt
      ) {
        await repos.sessions.delete(principal.sessionIdHash);
        clearCookie(c);
        throw new SmarterError('SESSION_STALE', 'Sign in again', { status: 401 });
      }
      return principal;
    },
    async rotate(c) {
      const current = await read(c);
      if (!current) return undefined;
      const session = await repos.sessions.get(current.sessionIdHash);
      const user = await repos.users.getById(current.userId);
      if (!user || !session) return undefined;
      await repos.sessions.delete(current.sessionIdHash);
      // After the user's own password change the rotated session counts as signed in now (so it is not ended as one
      // from before the change); its absolute expiry stays.
      const createdAt = Math.max(session.createdAt, user.passwordChangedAt ?? 0);
      return start(c, user, { createdAt, expiresAt: session.expiresAt });
    },
    async logout(c) {
      const idHash = await currentHash(c);
      if (idHash) {
        const session = await repos.sessions.get(idHash);
        await repos.sessions.delete(idHash);
        if (session)
          journal.emit({
            type: 'session.revoked',
            severity: 'info',
            principal: session.userId,
            reason: 'LOGOUT',
            requestId: requestIdOf(c),
          });
      }
      clearCookie(c);
    },
    read,
    async endAll(userId) {
      const n = await repos.sessions.deleteByUser(userId);
      journal.emit({
        type: 'session.revoked',
        severity: 'notice',
        principal: userId,
        reason: 'ALL_SESSIONS',
        details: { count: n },
      });
      return n;
    },
    async passwordChanged(c, user) {
      const n = await repos.sessions.deleteByUser(user.id);
      journal.emit({
        type: 'session.revoked',
        severity: 'notice',
        principal: user.id,
        reason: 'PASSWORD_CHANGED',
        details: { count: n },
      });
      return start(c, user);
    },
  };
}

/** Options of {@link sessionAuth}. */
export interface SessionAuthOptions {
  readonly sessions: SessionManager;
  /** Let requests without a valid session through (a later guard decides). @default false */
  readonly optional?: boolean;
  /** Journal for rejected requests (`auth.failed`, reason `NO_SESSION`). @default none */
  readonly journal?: Journal;
  /** Realm in the 401's `WWW-Authenticate` (the same challenge as `apiKeyAuth`). @default 'smarter' */
  readonly realm?: string;
}

/**
 * Sets the session principal when the request carries a valid session cookie; answers 401 otherwise (unless
 * `optional`), the same 401 as `apiKeyAuth`: one body and challenge whichever credential was missing or stale.
 * A principal set earlier (an API key) is kept.
 *
 * @example
 * app.use('/account/*', sessionAuth({ sessions }));
 */
export function sessionAuth(options: SessionAuthOptions): MiddlewareHandler<{ Variables: AuthVariables }> {
  if (!options?.sessions) throw new SmarterConfigError('sessionAuth needs { sessions: createSessionManager(…) }.');
  const optional = options.optional ?? false;
  const challenge = authChallenge(options.realm);
  return createMiddleware<{ Variables: AuthVariables }>(async function sessionAuthentication(c, next) {
    if (!c.get('principal')) {
      const principal = await options.sessions.read(c);
      if (principal) c.set('principal', principal);
      else if (!optional) {
        options.journal?.emit({
          type: 'auth.failed',
          severity: 'info',
          reason: 'NO_SESSION',
          method: c.req.method,
          requestId: requestIdOf(c),
        });
        return unauthenticatedResponse(c, challenge);
      }
    }
    return next();
  });
}

/**
 * The identity a CSRF token binds to: the hash of the current session id (never the id), or undefined without a
 * session. Rotates with the session, so a login or privilege change rotates the CSRF token too.
 */
export function sessionIdentity(c: Context): string | undefined {
  // c.get reads one variable; c.var would copy them all into a new object on every call.
  const principal = c.get('principal' as never) as AuthVariables['principal'] | undefined;
  return principal?.kind === 'session' ? principal.sessionIdHash : undefined;
}
