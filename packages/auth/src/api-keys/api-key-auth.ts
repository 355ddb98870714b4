import {
  type Clock,
  expiryCache,
  hostResolutionOf,
  identityOf,
  type Journal,
  problemResponse,
  rateLimitPolicy,
  rateLimitState,
  requestIdOf,
  responseHasHeader,
  SmarterConfigError,
  type Store,
  UNKNOWN_ADDRESS,
  waitUntilOf,
} from '@smarter/security';
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { silentJournal } from '../internal/journal.ts';
import type { AuthVariables } from '../principal/principal.ts';
import { authChallenge, unauthenticatedResponse } from '../principal/unauthenticated.ts';
import type { ApiKeyService, ApiKeyVerification } from './api-key-service.ts';

/** A per-key fixed-window rate limit. */
export interface KeyRateLimit {
  /** Requests allowed per window. */
  readonly limit: number;
  /** Window length. @default 60000 */
  readonly windowMs?: number;
  /** The store that counts (shared across instances). */
  readonly store: Store;
  /** Clock for the reset times in the headers. @default Date.now */
  readonly now?: Clock;
}

/** Options of {@link apiKeyAuth}. */
export interface ApiKeyAuthOptions {
  readonly service: ApiKeyService;
  /** The agent a request is for (on agent hosts); bound keys only work for their agents. @default () => undefined */
  readonly agentId?: (c: Context) => string | undefined;
  /**
   * The account a request is for (an agent host's account); keys of other accounts are refused there.
   * @default the account of the host guard's `hostResolution`, when it resolved an agent host
   */
  readonly accountId?: (c: Context) => string | undefined;
  /** Let requests without an `Authorization` header through unauthenticated (a later guard decides). @default false */
  readonly optional?: boolean;
  /** Optional per-key rate limit (429 with `RateLimit` headers). @default none */
  readonly rateLimit?: KeyRateLimit;
  /** Realm in `WWW-Authenticate`. @default 'smarter' */
  readonly realm?: string;
  readonly journal?: Journal;
  /**
   * `auth.succeeded` is journaled for a key's first use from a client (and agent), then again for that client after
   * this long, per instance: a new client of a key (a stolen key used from elsewhere) always shows, while a client
   * calling the API all day adds an entry every few minutes, not one per request. 0 journals every request.
   * @default 300_000
   */
  readonly journalUseEveryMs?: number;
  /** Clock of `journalUseEveryMs`. @default Date.now */
  readonly now?: Clock;
}

/** Resolved options of {@link apiKeyAuth}. */
export interface ResolvedApiKeyAuthOptions {
  readonly service: ApiKeyService;
  readonly agentId: (c: Context) => string | undefined;
  readonly accountId: (c: Context) => string | undefined;
  readonly optional: boolean;
  readonly rateLimit: Required<KeyRateLimit> | undefined;
  readonly challenge: string;
  readonly journal: Journal;
  readonly journalUseEveryMs: number;
  readonly now: Clock;
}

const KNOWN = new Set([
  'service',
  'agentId',
  'accountId',
  'optional',
  'rateLimit',
  'realm',
  'journal',
  'journalUseEveryMs',
  'now',
]);

/** (key, client, agent) uses this process remembers journaling at most (oldest forgotten first). */
const JOURNALED_USES = 10_000;

/** The account of the agent host the host guard resolved, if any. */
function hostAccountId(c: Context): string | undefined {
  return hostResolutionOf(c)?.accountId;
}

/** Validates {@link ApiKeyAuthOptions}; throws a {@link SmarterConfigError} saying what to write instead. */
export function resolveApiKeyAuthOptions(options: ApiKeyAuthOptions): ResolvedApiKeyAuthOptions {
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key))
      throw new SmarterConfigError(`Unknown apiKeyAuth option "${key}": use one of ${[...KNOWN].join(', ')}.`);
  }
  if (!options.service) throw new SmarterConfigError('apiKeyAuth needs { service: createApiKeyService(…) }.');
  let rateLimit: Required<KeyRateLimit> | undefined;
  if (options.rateLimit) {
    const { limit, windowMs = 60_000, store, now = Date.now } = options.rateLimit;
    if (!Number.isInteger(limit) || limit < 1)
      throw new SmarterConfigError('rateLimit.limit must be a positive integer.');
    if (!(windowMs >= 1000)) throw new SmarterConfigError('rateLimit.windowMs must be at least 1000.');
    if (!store) throw new SmarterConfigError('rateLimit needs a store (the same one on every instance).');
    rateLimit = { limit, windowMs, store, now };
  }
  const journalUseEveryMs = options.journalUseEveryMs ?? 300_000;
  if (!Number.isInteger(journalUseEveryMs) || journalUseEveryMs < 0 || journalUseEveryMs > 86_400_000) {
    throw new SmarterConfigError('journalUseEveryMs must be an integer from 0 to 86,400,000 (default 300,000).');
  }
  return {
    service: options.service,
    agentId: options.agentId ?? (() => undefined),
    accountId: options.accountId ?? hostAccountId,
    optional: options.optional ?? false,
    rateLimit,
    challenge: authChallenge(options.realm),
    journal: options.journal ?? silentJournal,
    journalUseEveryMs,
    now: options.now ?? Date.now,
  };
}

const SCHEME = /^(?:token|bearer)[ \t]+([^\s]+)[ \t]*$/i;

/**
 * Authenticates `Authorization: Token <key>` or `Bearer <key>` (scheme case-insensitive). Every failure answers the
 * same 401 problem+json with `WWW-Authenticate`; the journal gets the reason and a masked key. A key-authenticated
 * request never gets a session or a cookie: any `Set-Cookie` a handler adds is removed.
 *
 * @example
 * app.use('/api/*', apiKeyAuth({ service: keys }));
 * app.get('/api/v1/agents', requireScopes('agents:read'), handler);
 */
export function apiKeyAuth(options: ApiKeyAuthOptions): MiddlewareHandler<{ Variables: AuthVariables }> {
  const o = resolveApiKeyAuthOptions(options);
  const unauthorized = (c: Context) => unauthenticatedResponse(c, o.challenge);
  // The (key, client, agent) uses journaled less than journalUseEveryMs ago.
  const journaled = expiryCache(JOURNALED_USES);
  /** True when this use is one to journal (see journalUseEveryMs), and remembers it. */
  const worthJournaling = (use: string): boolean => {
    if (o.journalUseEveryMs === 0) return true;
    const at = o.now();
    if (journaled.get(use, at) !== undefined) return false;
    journaled.remember(use, at, at + o.journalUseEveryMs, at);
    return true;
  };

  const unavailable = (c: Context) =>
    problemResponse(
      { status: 503, code: 'AUTH_UNAVAILABLE', title: 'Authentication is unavailable', requestId: requestIdOf(c) },
      { 'cache-control': 'no-store', 'retry-after': '5' },
    );

  return createMiddleware<{ Variables: AuthVariables }>(async function apiKeyAuthentication(c, next) {
    const header = c.req.header('authorization');
    if (header === undefined) {
      if (o.optional) return next();
      o.journal.emit({
        type: 'auth.failed',
        severity: 'info',
        reason: 'MISSING_CREDENTIALS',
        requestId: requestIdOf(c),
        method: c.req.method,
      });
      return unauthorized(c);
    }
    const token = SCHEME.exec(header)?.[1];
    const masked = token && token.length >= 8 ? `****${token.slice(-4)}` : '****';
    const waitUntil = waitUntilOf(c);
    const agent = o.agentId(c);
    let result: ApiKeyVerification;
    try {
      result = token
        ? await o.service.verify(token, {
            agentId: agent,
            accountId: o.accountId(c),
            waitUntil,
            requestId: requestIdOf(c),
          })
        : { ok: false, reason: 'MALFORMED' };
    } catch {
      // Fail closed: without the revocation epoch or the key store nobody is authenticated.
      return unavailable(c);
    }
    if (!result.ok) {
      o.journal.emit({
        type: 'auth.failed',
        severity: 'warning',
        reason: result.reason,
        principal: result.keyId,
        requestId: requestIdOf(c),
        method: c.req.method,
        status: 401,
        details: { key: masked },
      });
      return unauthorized(c);
    }
    const { key, user } = result;
    if (o.rateLimit) {
      let counted: { count: number; resetAt: number };
      try {
        counted = await o.rateLimit.store.increment(`smarter:auth:key-rate:${key.id}`, o.rateLimit.windowMs);
      } catch {
        return unavailable(c);
      }
      const { count, resetAt } = counted;
      const remaining = Math.max(0, o.rateLimit.limit - count);
      const reset = Math.max(0, Math.ceil((resetAt - o.rateLimit.now()) / 1000));
      // The same header format as the IP limiter of @smarter/security, under the policy name "key".
      const policy = rateLimitPolicy('key', o.rateLimit.limit, o.rateLimit.windowMs);
      if (count > o.rateLimit.limit) {
        // The key's first refusal in a window and every 100th after it: a key holder cannot flood the journal.
        if ((count - o.rateLimit.limit) % 100 === 1) {
          o.journal.emit({
            type: 'ratelimit.exceeded',
            severity: 'warning',
            principal: key.id,
            account: key.accountId,
            reason: 'KEY_RATE_LIMIT',
            requestId: requestIdOf(c),
            details: { count, sampledOneIn: 100 },
          });
        }
        return problemResponse(
          { status: 429, code: 'RATE_LIMITED', title: 'Too many requests', requestId: requestIdOf(c) },
          {
            'retry-after': String(reset),
            'ratelimit-policy': policy,
            ratelimit: rateLimitState('key', 0, reset),
          },
        );
      }
      c.header('ratelimit-policy', policy);
      c.header('ratelimit', rateLimitState('key', remaining, reset));
    }
    c.set('principal', {
      kind: 'apiKey',
      userId: user.id,
      accountId: user.accountId,
      role: user.role,
      keyId: key.id,
      scopes: key.scopes,
      agentIds: key.agentIds,
    });
    // The first use of the key from this client (and agent), then one every journalUseEveryMs: see the option.
    const clientKey = identityOf(c).key;
    // A client nobody could identify (no peer address, no trusted proxy) is never taken for one seen before.
    if (clientKey === UNKNOWN_ADDRESS || worthJournaling(`${key.id}|${clientKey}|${agent ?? ''}`)) {
      o.journal.emit({
        type: 'auth.succeeded',
        severity: 'info',
        principal: key.id,
        account: key.accountId,
        clientKey,
        ...(agent ? { agent } : {}),
        requestId: requestIdOf(c),
        method: c.req.method,
        details: { key: masked },
      });
    }
    await next();
    // Key auth is stateless: nothing downstream may start a session or set a cookie on this response.
    // Checked without reading `c.res.headers` when the preset built the response (that read is costly on Node).
    if (responseHasHeader(c, 'set-cookie')) {
      o.journal.emit({
        type: 'auth.failed',
        severity: 'warning',
        reason: 'COOKIE_ON_KEY_AUTH',
        principal: key.id,
        requestId: requestIdOf(c),
      });
      try {
        c.res.headers.delete('set-cookie');
      } catch {
        // Immutable headers (a fetched response): copy it. Clearing first stops Hono merging the old headers back.
        const res = new Response(c.res.body, c.res);
        res.headers.delete('set-cookie');
        c.res = undefined;
        c.res = res;
      }
    }
  });
}
