import type { Context, MiddlewareHandler } from 'hono';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { type Gate, gateMiddleware } from '../internal/gate.ts';
import { problemFor } from '../internal/problem-response.ts';
import { clientKeyOf, requestIdOf, waitUntilOf } from '../internal/request.ts';
import { addResponseHeader, addVary } from '../internal/response-headers.ts';
import type { Journal } from '../journal/journal.ts';
import { normaliseOrigin, type OriginMatcher, type OriginSources, originMatcher } from './origins.ts';

/** Smarter's client headers, always allowed in preflights (SPEC §8). */
export const SMARTER_CLIENT_HEADERS: readonly string[] = ['x-api-key', 'x-smarter-client', 'x-smarter-requestid'];

/** Options of {@link cors}. */
export interface CorsOptions extends OriginSources {
  /** Send `Access-Control-Allow-Credentials: true` to allowed origins. @default false */
  readonly credentials?: boolean;
  /** Methods a preflight may ask for. @default ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] */
  readonly allowMethods?: readonly string[];
  /** Headers a preflight may ask for, besides Smarter's client headers. @default ['authorization', 'content-type', 'x-csrftoken', 'x-request-id'] */
  readonly allowHeaders?: readonly string[];
  /** Response headers scripts may read. @default ['x-request-id', 'retry-after', 'ratelimit', 'ratelimit-policy'] */
  readonly exposeHeaders?: readonly string[];
  /** Preflight cache lifetime in seconds. @default 600 */
  readonly maxAge?: number;
  /** Answer Private Network Access preflights (`Access-Control-Allow-Private-Network`). @default false */
  readonly privateNetwork?: boolean;
  /** Where `cors.rejected` goes. @default undefined (not journaled) */
  readonly journal?: Journal;
}

/** Resolved {@link CorsOptions}. */
export interface ResolvedCorsOptions {
  readonly isTrusted: OriginMatcher;
  readonly credentials: boolean;
  readonly methods: ReadonlySet<string>;
  readonly headers: ReadonlySet<string>;
  readonly allowMethodsValue: string;
  readonly exposeHeadersValue: string;
  readonly maxAge: string;
  readonly privateNetwork: boolean;
  readonly journal: Journal | undefined;
}

const KNOWN = new Set([
  'origins',
  'originPatterns',
  'originResolver',
  'hostResolution',
  'credentials',
  'allowMethods',
  'allowHeaders',
  'exposeHeaders',
  'maxAge',
  'privateNetwork',
  'journal',
]);
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;

/** Validates and precomputes {@link CorsOptions}. */
export function resolveCorsOptions(options: CorsOptions = {}): ResolvedCorsOptions {
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key))
      throw new SmarterConfigError(`cors: unknown option "${key}"; known: ${[...KNOWN].join(', ')}.`);
  }
  const methods = (options.allowMethods ?? ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']).map((m) =>
    m.toUpperCase(),
  );
  const headers = [
    ...(options.allowHeaders ?? ['authorization', 'content-type', 'x-csrftoken', 'x-request-id']),
    ...SMARTER_CLIENT_HEADERS,
  ].map((h) => h.toLowerCase());
  for (const t of [...methods, ...headers, ...(options.exposeHeaders ?? [])]) {
    if (t === '*' || !TOKEN.test(t)) {
      throw new SmarterConfigError(`cors: "${t}" is not allowed; list methods and header names explicitly (no "*").`);
    }
  }
  const maxAge = options.maxAge ?? 600;
  if (!Number.isInteger(maxAge) || maxAge < 0 || maxAge > 86_400) {
    throw new SmarterConfigError('cors: maxAge must be whole seconds between 0 and 86400.');
  }
  for (const o of (options.origins ?? []).map((value) => normaliseOrigin(value, 'cors'))) {
    if (
      options.credentials &&
      o.startsWith('http://') &&
      !/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(o)
    ) {
      throw new SmarterConfigError(`cors: "${o}" is plain http; credentials must only go to https origins.`);
    }
  }
  return {
    isTrusted: originMatcher(options, 'cors'),
    credentials: options.credentials === true,
    methods: new Set(methods),
    headers: new Set(headers),
    allowMethodsValue: methods.join(', '),
    exposeHeadersValue: (
      options.exposeHeaders ?? ['x-request-id', 'retry-after', 'ratelimit', 'ratelimit-policy']
    ).join(', '),
    maxAge: String(maxAge),
    privateNetwork: options.privateNetwork === true,
    journal: options.journal,
  };
}

/**
 * CORS (SPEC §8): only exact, configured origins are reflected (never `*`), `Vary: Origin` on every response it
 * covers, preflights checked against method and header allowlists; a refused preflight is a 403 problem+json and a
 * `cors.rejected` event. Per-agent origins come from the {@link OriginSources.originResolver} port.
 *
 * @example
 * app.use('/api/*', cors({ origins: ['https://app.example.com'], credentials: true }));
 */
export function cors(options?: CorsOptions): MiddlewareHandler {
  return gateMiddleware(corsGate(options));
}

/** The CORS check as a {@link Gate} (used by the preset to run several checks in one layer). */
export function corsGate(options?: CorsOptions): Gate {
  const r = resolveCorsOptions(options);
  return function cors(c) {
    addVary(c, 'Origin');
    const origin = c.req.header('origin');
    if (origin === undefined) return undefined;
    return corsFor(c, r, origin);
  };
}

async function corsFor(c: Context, r: ResolvedCorsOptions, origin: string): Promise<Response | undefined> {
  const requestedMethod = c.req.method === 'OPTIONS' ? c.req.header('access-control-request-method') : undefined;
  let trusted: boolean;
  try {
    trusted = await r.isTrusted(origin, c);
  } catch {
    trusted = false; // fail closed when the per-tenant origin store is down
  }
  if (requestedMethod === undefined) {
    if (trusted) {
      addResponseHeader(c, 'access-control-allow-origin', origin);
      if (r.credentials) addResponseHeader(c, 'access-control-allow-credentials', 'true');
      if (r.exposeHeadersValue) addResponseHeader(c, 'access-control-expose-headers', r.exposeHeadersValue);
    }
    return undefined;
  }

  const asked = (c.req.header('access-control-request-headers') ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const wantsPrivateNetwork = c.req.header('access-control-request-private-network') === 'true';
  const reason = !trusted
    ? 'ORIGIN_NOT_ALLOWED'
    : !r.methods.has(requestedMethod.toUpperCase())
      ? 'METHOD_NOT_ALLOWED'
      : asked.some((h) => !r.headers.has(h))
        ? 'HEADER_NOT_ALLOWED'
        : wantsPrivateNetwork && !r.privateNetwork
          ? 'PRIVATE_NETWORK_NOT_ALLOWED'
          : undefined;
  const requestId = requestIdOf(c);
  if (reason) {
    r.journal?.emit(
      {
        type: 'cors.rejected',
        severity: 'notice',
        requestId,
        clientKey: clientKeyOf(c),
        method: 'OPTIONS',
        path: c.req.path,
        status: 403,
        reason,
      },
      waitUntilOf(c),
    );
    return problemFor(
      c,
      { status: 403, code: 'CORS_REJECTED', title: 'Cross-origin request not allowed', reason, requestId },
      { vary: 'Origin' },
    );
  }
  const headers: Record<string, string> = {
    vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    'access-control-allow-origin': origin,
    'access-control-allow-methods': r.allowMethodsValue,
    'access-control-max-age': r.maxAge,
  };
  if (asked.length) headers['access-control-allow-headers'] = asked.join(', ');
  if (r.credentials) headers['access-control-allow-credentials'] = 'true';
  if (wantsPrivateNetwork) headers['access-control-allow-private-network'] = 'true';
  return new Response(null, { status: 204, headers });
}
