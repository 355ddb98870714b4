import type { Context, ErrorHandler, Handler, Hono, MiddlewareHandler, NotFoundHandler } from 'hono';
import { type BodyLimitOptions, bodyLimitGate } from '../api/body-limit.ts';
import { jsonErrorHandler, jsonNotFound } from '../api/errors.ts';
import { type JsonApiOptions, jsonApiGate } from '../api/json-api.ts';
import { problem } from '../api/problems.ts';
import { type CorsOptions, corsGate } from '../cors/cors.ts';
import { type CsrfOptions, csrfGate } from '../csrf/csrf.ts';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { cspReport } from '../headers/csp-report.ts';
import { type SecureHeadersOptions, secureHeadersPhase } from '../headers/secure-headers.ts';
import { type AllowedHostsOptions, allowedHostsPhase } from '../host/allowed-hosts.ts';
import type { OriginResolver } from '../host/resolver.ts';
import { type HttpsOnlyOptions, httpsOnlyPhase } from '../https/https-only.ts';
import { clientIdentityPhase } from '../identity/client-identity.ts';
import type { ForwardingHeader } from '../identity/resolve.ts';
import type { ClientScheme, PeerAddress } from '../identity/types.ts';
import { chainGates, type Gate } from '../internal/gate.ts';
import type { Phase } from '../internal/phase.ts';
import { createJournal, type Journal } from '../journal/journal.ts';
import { jsonLinesSink } from '../journal/json-lines.ts';
import { type ResourceLimitsOptions, resourceLimitsWithPhase } from '../resource/resource-limits.ts';
import { type BanListOptions, createBanList } from '../scanner/ban-list.ts';
import { type ExcessiveNotFoundOptions, excessiveNotFoundPhase } from '../scanner/excessive-not-found.ts';
import { type SensitiveFilesOptions, sensitiveFilesPhase } from '../sensitive/sensitive-files.ts';
import type { Store } from '../store/store.ts';
import { memoryStore } from '../stores/memory/memory-store.ts';
import { phaseLayer } from './compose.ts';
import { fuseRouter } from './fused-router.ts';

/** Guards that can be switched off, each only by naming it in `dangerouslyDisable`. */
export type SmarterGuard = 'hosts' | 'https' | 'scanner' | 'sensitiveFiles' | 'csrf' | 'cors' | 'resources';

/** Options of {@link smarter}: one setting per shared concern, then per-guard options. */
export interface SmarterOptions {
  /** Raw secret keys (≥ 32 bytes; first signs, all verify), e.g. `SMARTER_SECRET_KEYS`. Required for CSRF. */
  readonly secretKeys: readonly (string | Uint8Array)[];
  /** The one trusted-proxy setting every guard sees (CIDRs, preset names or a hop count). @default [] */
  readonly trustedProxies?: readonly string[] | number;
  /** The forwarding header your proxies set. @default 'x-forwarded-for' */
  readonly forwardingHeader?: ForwardingHeader;
  /** The TCP peer address, injected by the runtime entry. @default none (`'unknown'`) */
  readonly peerAddress?: PeerAddress;
  /** Where every guard journals. @default JSON lines on stdout */
  readonly journal?: Journal;
  /** Shared state for bans and counters. @default memoryStore() (one process only) */
  readonly store?: Store;
  /** Path prefixes of the JSON API: bodies there are JSON only. @default ['/api/'] */
  readonly apiPrefixes?: readonly string[];
  /** Production: 5xx bodies never carry error messages. @default true */
  readonly production?: boolean;
  /** Per-agent origins for CORS and CSRF. @default none */
  readonly originResolver?: OriginResolver;
  /** The session identity CSRF tokens are bound to. @default anonymous */
  readonly session?: CsrfOptions['session'];
  /** Path of the CSP report endpoint mounted by `install()`. @default '/csp-report' */
  readonly cspReportPath?: string;
  /** Fraction of CSP reports journaled. @default 1 */
  readonly cspReportSampleRate?: number;
  /** Secure headers options. */
  readonly headers?: Omit<SecureHeadersOptions, 'reportUri'>;
  /** Host validation options (`hosts` lists the platform's names). */
  readonly hosts?: Omit<AllowedHostsOptions, 'journal'>;
  /** HTTPS redirect and HSTS options. */
  readonly https?: Omit<HttpsOnlyOptions, 'journal'>;
  /** The shared ban list of the scanner and sensitive-file guards (how long a seen ban is answered from memory). */
  readonly bans?: Pick<BanListOptions, 'localCacheMs'>;
  /** Scanner (excessive 404) ban options. */
  readonly scanner?: Omit<ExcessiveNotFoundOptions, 'journal' | 'store' | 'bans'>;
  /** Sensitive-file blocking options. */
  readonly sensitiveFiles?: Omit<SensitiveFilesOptions, 'journal' | 'store' | 'bans'>;
  /** Body limit outside the API prefixes. */
  readonly bodyLimit?: Omit<BodyLimitOptions, 'journal'>;
  /** JSON body rules under the API prefixes. */
  readonly jsonApi?: Omit<JsonApiOptions, 'journal'>;
  /** CORS options (origins, credentials, …). */
  readonly cors?: Omit<CorsOptions, 'journal' | 'originResolver'>;
  /** CSRF options besides keys and session. */
  readonly csrf?: Omit<CsrfOptions, 'keys' | 'journal' | 'session' | 'originResolver' | 'requestOrigin'>;
  /** Resource-limit logging thresholds. */
  readonly resources?: Omit<ResourceLimitsOptions, 'journal'>;
  /** Guards to leave out. Each one removed is a hole: name them only with a reason. @default [] */
  readonly dangerouslyDisable?: readonly SmarterGuard[];
}

/** What {@link smarter} returns: the composed middleware and the handlers that complete it. */
export interface SmarterSecurity {
  /** Every guard in the documented order, as one middleware; mount it first. */
  readonly middleware: MiddlewareHandler;
  /** problem+json for every error; hides internals in production. */
  readonly onError: ErrorHandler;
  /** problem+json 404, or 405 with `Allow`, for an app. */
  notFound(app: Hono): NotFoundHandler;
  /** The CSP report endpoint handler. */
  readonly cspReport: Handler;
  /** Prometheus metrics (mount behind `internalOnly()`), or undefined when resources are disabled. */
  readonly metrics: Handler | undefined;
  /** The journal every guard writes to. */
  readonly journal: Journal;
  /**
   * Mounts the middleware first, the CSP report route, `notFound` and `onError` on an app, and lets a route with no
   * middleware of its own run fused with the preset (the same semantics, without Hono's middleware hop).
   */
  install(app: Hono): void;
}

const KNOWN = new Set([
  'secretKeys',
  'trustedProxies',
  'forwardingHeader',
  'peerAddress',
  'journal',
  'store',
  'apiPrefixes',
  'production',
  'originResolver',
  'session',
  'cspReportPath',
  'cspReportSampleRate',
  'headers',
  'hosts',
  'https',
  'bans',
  'scanner',
  'sensitiveFiles',
  'bodyLimit',
  'jsonApi',
  'cors',
  'csrf',
  'resources',
  'dangerouslyDisable',
]);
const GUARDS = new Set<SmarterGuard>(['hosts', 'https', 'scanner', 'sensitiveFiles', 'csrf', 'cors', 'resources']);
const ALLOW_ALL = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';

/** The resolved, validated form of {@link SmarterOptions}. */
export interface ResolvedSmarterOptions {
  readonly journal: Journal;
  readonly store: Store;
  readonly apiPrefixes: readonly string[];
  readonly production: boolean;
  readonly cspReportPath: string;
  readonly disabled: ReadonlySet<SmarterGuard>;
}

/** Validates {@link SmarterOptions}; throws {@link SmarterConfigError} saying what to write instead. */
export function resolveSmarterOptions(options: SmarterOptions): ResolvedSmarterOptions {
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key))
      throw new SmarterConfigError(`smarter: unknown option "${key}"; known: ${[...KNOWN].join(', ')}.`);
  }
  const disabled = new Set(options.dangerouslyDisable ?? []);
  for (const guard of disabled) {
    if (!GUARDS.has(guard))
      throw new SmarterConfigError(`smarter: cannot disable "${guard}"; one of ${[...GUARDS].join(', ')}.`);
  }
  if (!disabled.has('csrf') && (!options.secretKeys || options.secretKeys.length === 0)) {
    throw new SmarterConfigError('smarter: secretKeys is required (SMARTER_SECRET_KEYS, at least 32 bytes each).');
  }
  const apiPrefixes = options.apiPrefixes ?? ['/api/'];
  for (const p of apiPrefixes) {
    if (!p.startsWith('/') || !p.endsWith('/'))
      throw new SmarterConfigError(`smarter: API prefix "${p}" must start and end with "/", e.g. "/api/".`);
  }
  const cspReportPath = options.cspReportPath ?? '/csp-report';
  return {
    journal: options.journal ?? createJournal({ sinks: [jsonLinesSink()] }),
    store: options.store ?? memoryStore(),
    apiPrefixes,
    production: options.production ?? true,
    cspReportPath,
    disabled,
  };
}

/** Skips a gate for one exact path (the CSP report sink: browsers post it without a token, it changes nothing). */
function exceptPath(path: string, gate: Gate): Gate {
  return function exceptPath(c) {
    return c.req.path === path ? undefined : gate(c);
  };
}

function underPrefixes(prefixes: readonly string[]): (path: string) => boolean {
  const bare = prefixes.map((p) => p.slice(0, -1));
  return (path) => {
    for (let i = 0; i < prefixes.length; i++) {
      if (path.startsWith(prefixes[i] as string) || path === bare[i]) return true;
    }
    return false;
  };
}

/**
 * The secure-by-default preset (SPEC §0): every guard of `@smarter/security` in the documented order, sharing one
 * trusted-proxy model, one journal and one store:
 *
 * 1. resource logging (timing covers everything) and secure headers with the request id (outermost, so every
 *    rejection carries both);
 * 2. client identity; 3. host validation; 4. HTTPS redirect and HSTS; 5. scanner bans and sensitive paths;
 * 6. TRACE/TRACK/CONNECT refusal and body limits (JSON-only under the API prefixes); 7. CORS; 8. CSRF.
 *
 * @example
 * const security = smarter({ secretKeys: [env.SMARTER_SECRET_KEY], hosts: { hosts: ['smarter.example'] } });
 * security.install(app);
 */
export function smarter(options: SmarterOptions): SmarterSecurity {
  const r = resolveSmarterOptions(options);
  const { journal, store, disabled } = r;
  const on = (guard: SmarterGuard) => !disabled.has(guard);
  const onError = jsonErrorHandler({ exposeErrors: !r.production });
  const bans = createBanList({ ...options.bans, store });
  const isApi = underPrefixes(r.apiPrefixes);

  const resources = on('resources') ? resourceLimitsWithPhase({ ...options.resources, journal }) : undefined;
  const headers = secureHeadersPhase({ ...options.headers, reportUri: r.cspReportPath, requestIds: true });
  const identity = clientIdentityPhase({
    ...(options.trustedProxies !== undefined ? { trustedProxies: options.trustedProxies } : {}),
    ...(options.forwardingHeader !== undefined ? { forwardingHeader: options.forwardingHeader } : {}),
    ...(options.peerAddress !== undefined ? { peerAddress: options.peerAddress } : {}),
  });
  const limitBody = bodyLimitGate({ ...options.bodyLimit, journal });
  const limitJson = jsonApiGate({ ...options.jsonApi, journal });
  const originResolver = options.originResolver ? { originResolver: options.originResolver } : {};

  // TRACE, TRACK and CONNECT never reach a handler (and never echo). The request id comes from the headers layer.
  const refuseTrace: Gate = function refuseTrace(c) {
    const method = c.req.method;
    if (method === 'TRACE' || method === 'TRACK' || method === 'CONNECT') {
      return problem(c, 405, 'METHOD_NOT_ALLOWED', 'Method not allowed', { headers: { allow: ALLOW_ALL } });
    }
    return undefined;
  };
  const bodies: Gate = function bodies(c) {
    return isApi(c.req.path) ? limitJson(c) : limitBody(c);
  };
  const requestOrigin = (c: Context): string => {
    const scheme = c.get('clientScheme' as never) as ClientScheme | undefined;
    const authority = c.get('validAuthority' as never) as string | undefined;
    return scheme && authority ? `${scheme}://${authority}` : new URL(c.req.url).origin;
  };

  // Every guard is a phase of one layer (no promise, closure or `next` hop per guard; see composePhases): resource
  // logging outermost (its timing covers everything), then secure headers (every answer inside carries them).
  const phases: Phase[] = [
    ...(resources ? [resources.phase] : []),
    headers,
    identity,
    ...(on('hosts') ? [allowedHostsPhase({ ...options.hosts, journal })] : []),
    ...(on('https') ? [httpsOnlyPhase({ ...options.https, journal })] : []),
    ...(on('scanner') ? [excessiveNotFoundPhase({ ...options.scanner, store, bans, journal })] : []),
    ...(on('sensitiveFiles') ? [sensitiveFilesPhase({ ...options.sensitiveFiles, store, bans, journal })] : []),
    // Body limits, CORS and CSRF decide before the handler and need nothing after it: one phase, synchronous
    // when there is nothing to do.
    {
      before: chainGates([
        refuseTrace,
        bodies,
        ...(on('cors') ? [corsGate({ ...options.cors, ...originResolver, journal })] : []),
        ...(on('csrf')
          ? [
              exceptPath(
                r.cspReportPath,
                csrfGate({
                  ...options.csrf,
                  ...originResolver,
                  keys: options.secretKeys,
                  journal,
                  requestOrigin,
                  ...(options.session ? { session: options.session } : {}),
                }),
              ),
            ]
          : []),
      ]),
    },
  ];
  const layer = phaseLayer(phases, onError);
  const chain: MiddlewareHandler = layer.middleware;
  const report = cspReport({
    journal,
    ...(options.cspReportSampleRate !== undefined ? { sampleRate: options.cspReportSampleRate } : {}),
  });

  return {
    middleware: chain,
    onError,
    notFound: (app) => jsonNotFound(app),
    cspReport: report,
    metrics: resources?.prometheus,
    journal,
    install(app) {
      app.use(chain);
      // A route matched by this layer runs as one fused handler, its own middleware included; see fuseRouter.
      // Hono keeps the handler set by `app.onError` in a field its typings mark private; a test pins the behaviour.
      const appError = app as unknown as { readonly errorHandler?: ErrorHandler };
      app.router = fuseRouter(app.router, chain, layer.around, () => appError.errorHandler ?? onError);
      app.post(r.cspReportPath, report);
      app.notFound(jsonNotFound(app));
      app.onError(onError);
    },
  };
}
