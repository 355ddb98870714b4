import {
  type AccountService,
  type ApiKeyService,
  type AuthVariables,
  apiKeyAuth,
  createAccountService,
  createApiKeyService,
  createLoginService,
  createPasswordHasher,
  createSecretBox,
  createSessionManager,
  createUserTokens,
  defaultPasswordValidators,
  type EmailSender,
  type KeyRing,
  type LoginService,
  type PasswordEngine,
  type PasswordHasher,
  type Principal,
  pbkdf2Engine,
  type SecretBox,
  type SessionManager,
  sessionAuth,
  type UserTokens,
  unauthenticatedResponse,
} from '@smarter/auth';
import {
  type AgentHostResolver,
  agentHostResolver,
  createRepositories,
  type Database,
  type DatabaseJournalSink,
  databaseJournalSink,
  type Repositories,
  sqlStore,
} from '@smarter/data';
import {
  type Clock,
  createJournal,
  type HostResolution,
  hostResolutionOf,
  type Journal,
  type JournalSink,
  jsonLinesSink,
  memoryStore,
  problemResponse,
  requestIdOf,
  SmarterConfigError,
  type Store,
} from '@smarter/security';
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppConfig } from './config/config.ts';
import { appKeyRing } from './config/secret-keys.ts';
import { emailSenderFromConfig } from './email/log-sender.ts';
import { journalChainKeys } from './journal-chain.ts';
import { loggerFromConfig } from './logging/from-config.ts';
import type { Logger } from './logging/logger.ts';
import { providerFromConfig } from './providers/from-config.ts';
import type { ChatProvider } from './providers/port.ts';
import { type MalwareScanner, noopScanner } from './uploads/scanner.ts';
import { memoryStorage, type UploadStorage } from './uploads/storage.ts';

/** Optional service overrides a runtime entry or a test passes in `AppDeps` (everything has a default). */
export interface ServiceOverrides {
  /** Counters, bans, revocation epochs, login throttle. @default memoryStore, or sqlStore(db) when `SMARTER_STORE=sql` */
  readonly store?: Store;
  /** Password engine: scrypt from `@smarter/auth/password-node` on Node/Bun/Deno. @default pbkdf2Engine() */
  readonly passwordEngine?: PasswordEngine;
  /** Journal sinks besides the database. @default [jsonLinesSink()] (stdout) */
  readonly journalSinks?: readonly JournalSink[];
  /** Write the journal to the database too. @default true */
  readonly journalToDatabase?: boolean;
  /** Upload storage (filesystem from the Node entry, S3 by config). @default memoryStorage() */
  readonly uploadStorage?: UploadStorage;
  /** Malware scanner for uploads. @default noopScanner */
  readonly scanner?: MalwareScanner;
  /** `fetch` for providers (tests point it at a local fake). @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Clock for sessions, keys, throttles. @default Date.now */
  readonly now?: Clock;
  /** Schedules work past the response (Workers' `ctx.waitUntil`); journal writes are tracked through it. */
  readonly waitUntil?: (promise: Promise<unknown>) => void;
  /**
   * Told when a journal event could not be written to the database (it is still in the other sinks). The entries
   * log it, at most once a minute. @default nothing
   */
  readonly onJournalFailure?: (error: unknown) => void;
  /**
   * Sends password-reset and new-user emails (SPEC §14 port); wins over `SMARTER_EMAIL`. No SMTP here: a deployment
   * passes its own, e.g. `smtpEmailSender` from `@smarter/auth/smtp-node` or a provider's HTTP API on Workers.
   * @default the log (`SMARTER_EMAIL=console`, links whole only in development), or none (`SMARTER_EMAIL=off`)
   */
  readonly email?: EmailSender;
  /** Told when work run past the response (an email) failed, with what it was. The entries log it. @default nothing */
  readonly onBackgroundFailure?: (error: unknown, task: string) => void;
}

/** How the server emails links, when it can: a sender and the configured link base (`SMARTER_PUBLIC_URL`). */
export interface AppMail {
  readonly sender: EmailSender;
  /** Origin of every emailed link; from configuration, never from a request (SPEC §14). */
  readonly linkBaseUrl: string;
}

/** Everything the routes use, built once per app from its deps. */
export interface AppServices {
  readonly config: AppConfig;
  readonly db: Database;
  readonly repositories: Repositories;
  readonly journal: Journal;
  /** The database journal sink (query + verify), when the journal is written to the database. */
  readonly journalStore: DatabaseJournalSink | undefined;
  readonly store: Store;
  readonly keyRing: KeyRing;
  readonly keys: ApiKeyService;
  readonly sessions: SessionManager;
  readonly hasher: PasswordHasher;
  readonly accounts: AccountService;
  readonly login: LoginService;
  /** Password-reset and activation tokens: HMAC bound to the user's state, 24 hours, single use (SPEC §14). */
  readonly tokens: UserTokens;
  /** Undefined when no sender or no `SMARTER_PUBLIC_URL` is configured: no reset or new-user links are sent. */
  readonly mail: AppMail | undefined;
  readonly secrets: SecretBox;
  readonly hosts: AgentHostResolver;
  /** The server's default chat provider (`SMARTER_LLM_*`). */
  readonly provider: ChatProvider;
  readonly uploadStorage: UploadStorage;
  readonly scanner: MalwareScanner;
  readonly fetch: typeof fetch;
  readonly now: Clock;
  /**
   * Runs `work` past the response (an email, so the answer takes as long whether or not the account exists): tracked
   * by `flush`, handed to `waitUntil`, failures reported to `onBackgroundFailure` under `task`.
   */
  background(task: string, work: () => Promise<unknown>): void;
  /** Waits for journal writes and background work still in flight (CLI exit, tests, Workers' waitUntil). */
  flush(): Promise<void>;
}

/** Typed Hono variables of every app route: the services, the principal, the resolved host. */
export interface AppVariables extends AuthVariables {
  services: AppServices;
  hostResolution?: HostResolution | undefined;
  requestId?: string;
}

/** Hono env of the app's routes. */
export interface AppEnv {
  Variables: AppVariables;
}

/** What {@link buildServices} needs: the config, the database and optional overrides. */
export interface ServiceDeps extends ServiceOverrides {
  readonly config: AppConfig;
  readonly db: Database;
  /** Where the console email sender writes (`SMARTER_EMAIL=console`). @default loggerFromConfig(config) */
  readonly logger?: Logger;
}

/**
 * Builds the app's services from its deps: repositories, journal (stdout + database), store, key ring, API keys,
 * sessions, passwords, login throttle, secrets, agent host resolver and the default provider.
 *
 * @example
 * const services = buildServices({ config, db, passwordEngine: scryptEngine() });
 */
export function buildServices(deps: ServiceDeps): AppServices {
  const { config, db } = deps;
  const now = deps.now ?? Date.now;
  const repositories = createRepositories(db);
  const keyRing = appKeyRing(config);
  const journalStore =
    deps.journalToDatabase === false ? undefined : databaseJournalSink(db, { chainKeys: journalChainKeys(keyRing) });
  const pending = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
    deps.waitUntil?.(work);
  };
  const sinks: JournalSink[] = [...(deps.journalSinks ?? [jsonLinesSink()])];
  if (journalStore) {
    sinks.push({
      write(event) {
        const written = Promise.resolve(journalStore.write(event)).catch((error: unknown) => {
          deps.onJournalFailure?.(error);
        });
        track(written);
        return written;
      },
    });
  }
  const journal = createJournal({ sinks });
  // Memory is per instance (fine for one process); `sql` and `redis` share counters and revocation epochs across
  // instances. The Redis client is opened by the runtime entry (startApp) and passed in as `store`.
  if (deps.store === undefined && config.store.kind === 'redis') {
    throw new SmarterConfigError(
      'SMARTER_STORE=redis: start through startApp (it connects to Redis) or pass { store }.',
    );
  }
  const store =
    deps.store ??
    (config.store.kind === 'memory' ? memoryStore({ maxEntries: 100_000 }) : sqlStore(db, { prefix: 'smarter:' }));
  const hasher = createPasswordHasher({ engine: deps.passwordEngine ?? pbkdf2Engine() });
  const keys = createApiKeyService({ repositories, store, keyRing, journal, now });
  const sessions = createSessionManager({
    repositories,
    journal,
    now,
    dangerouslyAllowInsecureCookies: !config.cookieSecure,
  });
  const tokens = createUserTokens({ keyRing, repositories, store, now });
  const sender = deps.email ?? emailSenderFromConfig(config, deps.logger ?? loggerFromConfig(config));
  const mail = sender && config.publicUrl ? { sender, linkBaseUrl: config.publicUrl } : undefined;
  const accounts = createAccountService({
    repositories,
    hasher,
    validators: defaultPasswordValidators(),
    journal,
    now,
    tokens,
    ...(mail ? { email: mail.sender, linkBaseUrl: mail.linkBaseUrl } : {}),
  });
  const login = createLoginService({ repositories, hasher, store, journal, now });
  const fetchImpl = deps.fetch ?? ((input, init) => fetch(input, init));
  return {
    config,
    db,
    repositories,
    journal,
    journalStore,
    store,
    keyRing,
    keys,
    sessions,
    hasher,
    accounts,
    login,
    tokens,
    mail,
    secrets: createSecretBox(keyRing, { now }),
    hosts: agentHostResolver(db, { ttlMs: 2000, now }),
    provider: providerFromConfig(config.provider, fetchImpl),
    uploadStorage: deps.uploadStorage ?? memoryStorage(),
    scanner: deps.scanner ?? noopScanner,
    fetch: fetchImpl,
    now,
    background(task, work) {
      track(
        Promise.resolve()
          .then(work)
          .catch((error: unknown) => deps.onBackgroundFailure?.(error, task)),
      );
    },
    async flush() {
      // Again while work remains: an email sent in the background may journal, which adds a write.
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}

/** Puts the services on every request (`c.get('services')`). */
export function provideServices(services: AppServices): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async function provideAppServices(c, next) {
    c.set('services', services);
    await next();
  });
}

/** Options of {@link authenticate}. */
export interface AuthenticateOptions {
  /** Accept a session cookie when there is no `Authorization` header. @default true */
  readonly sessions?: boolean;
  /** Let unauthenticated requests through (a later check decides). @default false */
  readonly optional?: boolean;
}

/**
 * Authenticates an API key (`Token`/`Bearer`) or, without an `Authorization` header, a session cookie, and sets
 * `principal`. A present but bad key is a 401 even when a session cookie is also there (no silent fallback). Every
 * 401 (no credentials, a stale session, a bad key) is the same `unauthenticatedResponse`, challenge included.
 *
 * @example
 * api.use('/me', authenticate(services));
 */
export function authenticate(services: AppServices, options: AuthenticateOptions = {}): MiddlewareHandler<AppEnv> {
  const allowSessions = options.sessions ?? true;
  const optional = options.optional ?? false;
  const byKey = apiKeyAuth({
    service: services.keys,
    journal: services.journal,
    agentId: (c) => agentIdOf(c),
  }) as unknown as MiddlewareHandler<AppEnv>;
  const bySession = sessionAuth({
    sessions: services.sessions,
    journal: services.journal,
    optional,
  }) as unknown as MiddlewareHandler<AppEnv>;
  return createMiddleware<AppEnv>(async function authenticatePrincipal(c, next) {
    // A key always decides for itself: a session read earlier (for CSRF) never stands in for a bad key.
    if (c.req.header('authorization') !== undefined) return byKey(c, next);
    if (c.get('principal')) return next();
    if (allowSessions) {
      try {
        return await bySession(c, next);
      } catch {
        return problemResponse(
          { status: 503, code: 'AUTH_UNAVAILABLE', title: 'Authentication is unavailable', requestId: requestIdOf(c) },
          { 'cache-control': 'no-store', 'retry-after': '5' },
        );
      }
    }
    if (optional) return next();
    return unauthenticatedResponse(c);
  });
}

/** The agent of a request on an agent host (from the host guard's resolution), or undefined on the platform host. */
export function agentIdOf(c: Context): string | undefined {
  const resolution = hostResolutionOf(c);
  return resolution?.kind === 'agent' ? resolution.agentId : undefined;
}

/** The principal of a request, when authenticated. */
export function principalOf(c: Context): Principal | undefined {
  return (c.var as Partial<AppVariables>).principal;
}

/**
 * The scanner's credential predicate (SPEC §4): an authenticated request's 404s are not counted against its IP.
 * Only a verified principal counts — a made-up `Authorization` header does not exempt a scanner.
 */
export function isCredentialed(c: Context): boolean {
  return principalOf(c) !== undefined;
}
