import {
  createJournal,
  type HostResolver,
  internalOnly,
  type Journal,
  jsonLinesSink,
  memoryStore,
  type OriginResolver,
  type PeerAddress,
  rateLimit,
  type SmarterSecurity,
  type Store,
  smarter,
} from '@smarter/security';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { AppDeps } from './app.ts';
import { answeredHosts } from './config/public-url.ts';

/** The JSON-only API paths: everything under `/api/v1` except the multipart upload route. */
export const JSON_API_PREFIXES: readonly string[] = [
  '/api/v1/agents/',
  '/api/v1/bootstrap/',
  '/api/v1/chat/',
  '/api/v1/config/',
  '/api/v1/journal/',
  '/api/v1/keys/',
  '/api/v1/me/',
  '/api/v1/openapi.json/',
  '/api/v1/secrets/',
  '/api/v1/status/',
  '/api/v1/users/',
];

/** Where the edge guards keep counters and bans, and where they journal; shared by every guard of one app. */
export interface EdgeState {
  readonly store: Store;
  readonly journal: Journal;
  /** Agent hosts and origins (SPEC §5, §8); no wildcard is ever accepted. */
  readonly agents?: HostResolver & OriginResolver;
  /** The CSRF identity of a request (the session id hash), for session-bound tokens. */
  readonly session?: (c: Context) => string | undefined | Promise<string | undefined>;
  /** The scanner's credential predicate: authenticated clients' 404s are not counted. */
  readonly isCredentialed?: (c: Context) => boolean;
}

/**
 * The security layer of the reference app: the `smarter()` preset (SPEC §0; headers, identity, hosts, HTTPS, bans
 * and sensitive files, body limits, CORS, CSRF, in that order) plus the API rate limit. Each runtime entry injects its
 * peer address through `deps.peerAddress`.
 */
export function appSecurity(
  deps: AppDeps,
  state: EdgeState = defaultEdgeState(),
): SmarterSecurity & {
  readonly extra: Array<[string, MiddlewareHandler]>;
} {
  const { config } = deps;
  const { store, journal } = state;
  const resolver = deps.hostResolver ?? state.agents;
  // Local runs also answer localhost, 127.0.0.1 and [::1]; production only SMARTER_ALLOWED_HOSTS.
  const hosts = answeredHosts(config.allowedHosts, config.env === 'production');
  const security = smarter({
    secretKeys: config.secretKeys,
    trustedProxies: config.trustedProxies,
    ...(deps.peerAddress ? { peerAddress: deps.peerAddress } : {}),
    journal,
    store,
    production: config.env === 'production',
    hosts: {
      hosts,
      ...(resolver ? { resolver } : {}),
      probes: { paths: ['/healthz'], from: ['loopback', 'private'] },
    },
    // SMARTER_HSTS_*: 0 still sends `max-age=0`, which tells browsers that saw an earlier policy to drop it (RFC 6797).
    https: { redirect: config.secureRedirect, hsts: { maxAge: config.hstsSeconds, preload: config.hstsPreload } },
    // Local runs share one loopback client (browser, tests, tools): their misses never ban it; production counts all.
    scanner: {
      ...(config.env === 'production' ? {} : { exemptClients: ['loopback'] }),
      ...(state.isCredentialed ? { isCredentialed: state.isCredentialed } : {}),
    },
    ...(state.agents ? { originResolver: state.agents } : {}),
    ...(state.session ? { session: state.session } : {}),
    // Uploads are multipart: every other API path stays JSON-only (SPEC §10); the upload path gets the raw body limit.
    apiPrefixes: JSON_API_PREFIXES,
    bodyLimit: { maxBytes: config.uploads.maxFileBytes + 1024 * 1024 },
    cors: { origins: config.corsOrigins, credentials: true },
    csrf: { origins: config.csrfTrustedOrigins },
  });
  const extra: Array<[string, MiddlewareHandler]> = [];
  if (config.rateLimit) {
    const limiter = rateLimit({ name: 'api', ...config.rateLimit, store, journal }) as MiddlewareHandler;
    // The workbench's changes count too: its chat calls the provider (on the operator's key, maybe) and its password
    // form checks the current password, so neither may be driven unlimited from a browser session.
    const changesOnly: MiddlewareHandler = async function workbenchChanges(c, next) {
      return c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limiter(c, next);
    };
    // Sign-in has a bucket of its own: a client busy on the API is not locked out of signing in, and password guesses
    // do not eat the API's allowance (the login service also caps attempts per address and per account).
    const login = rateLimit({ name: 'login', ...config.rateLimit, store, journal }) as MiddlewareHandler;
    // Forgotten passwords and emailed links too, in a bucket of their own: each request may send an email (the
    // accounts also cap emails per address) or try a token, and neither may eat the sign-in allowance.
    const passwords = rateLimit({ name: 'password-reset', ...config.rateLimit, store, journal }) as MiddlewareHandler;
    extra.push(
      ['/api/*', limiter],
      ['/login', login],
      ['/password-reset', passwords],
      ['/reset', passwords],
      ['/activate', passwords],
      ['/agents/*', changesOnly],
      ['/account/*', changesOnly],
    );
  }
  if (config.resetEmailLimit) {
    // Each forgotten-password request may email someone: one client gets a few, not the API's allowance (the
    // accounts also cap emails per address, but not how many addresses one client names).
    const emails = rateLimit({ name: 'reset-email', ...config.resetEmailLimit, store, journal }) as MiddlewareHandler;
    const postsOnly: MiddlewareHandler = async function resetEmailRequests(c, next) {
      return c.req.method === 'POST' ? emails(c, next) : next();
    };
    extra.push(['/password-reset', postsOnly]);
  }
  return { ...security, extra };
}

/** Mounts the security layer on the app: the preset first, then the rate limits; 404/405 and errors as problem+json. */
export function installSecurity(app: Hono, deps: AppDeps, state?: EdgeState): void {
  const security = appSecurity(deps, state);
  security.install(app);
  for (const [path, middleware] of security.extra) app.use(path, middleware);
  // Prometheus text for the operator's scraper: internal clients only (by resolved client IP, never by Host).
  if (security.metrics) app.get('/metrics', internalOnly({ journal: security.journal }), security.metrics);
}

/** One in-memory store and the JSON-lines journal on stdout, for a single instance. */
function defaultEdgeState(): EdgeState {
  return { store: memoryStore({ maxEntries: 100_000 }), journal: createJournal({ sinks: [jsonLinesSink()] }) };
}

export type { PeerAddress };
