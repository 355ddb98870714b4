import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { type OriginMatcher, type OriginSources, originMatcher } from '../cors/origins.ts';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { type Gate, gateMiddleware } from '../internal/gate.ts';
import { problemFor } from '../internal/problem-response.ts';
import { clientKeyOf, requestIdOf, waitUntilOf } from '../internal/request.ts';
import { existingRequestState, type RequestState, requestState } from '../internal/request-state.ts';
import type { Journal } from '../journal/journal.ts';
import { type CsrfTokens, csrfTokens, type RawKey } from './token.ts';

/** Stable reasons of a `CSRF_FAILED` answer and a `csrf.rejected` event. */
export const CSRF_REASONS = [
  'CROSS_SITE_REQUEST',
  'ORIGIN_NULL',
  'ORIGIN_MISMATCH',
  'REFERER_MISSING',
  'REFERER_MALFORMED',
  'REFERER_INSECURE',
  'REFERER_MISMATCH',
  'TRUSTED_ORIGINS_UNAVAILABLE',
  'TOKEN_COOKIE_MISSING',
  'TOKEN_COOKIE_INVALID',
  'TOKEN_MISSING',
  'TOKEN_MISMATCH',
] as const;

/** One of {@link CSRF_REASONS}. */
export type CsrfReason = (typeof CSRF_REASONS)[number];

/** Options of {@link csrf}. */
export interface CsrfOptions extends OriginSources {
  /** Raw HMAC keys (≥ 32 bytes each); the first signs, all verify (rotation). Required. */
  readonly keys: readonly RawKey[];
  /** The session identity the token is bound to; undefined for anonymous visitors. @default () => undefined */
  readonly session?: (c: Context) => string | undefined | Promise<string | undefined>;
  /** This request's own origin (`https://host`), as the trusted-proxy model sees it. @default the request URL's origin */
  readonly requestOrigin?: (c: Context) => string;
  /** Request header carrying the token. @default 'x-csrftoken' */
  readonly headerName?: string;
  /** Form field carrying the token. @default 'csrfmiddlewaretoken' */
  readonly fieldName?: string;
  /** Cookie name; `__Host-` is prefixed on https. @default 'csrftoken' */
  readonly cookieName?: string;
  /** Where `csrf.rejected` goes. @default undefined */
  readonly journal?: Journal;
}

/** The per-request CSRF state handlers reach through {@link csrfToken} and {@link rotateCsrfToken}. */
export interface CsrfState {
  /** A masked token for this response (sets the token cookie when the visitor has none). */
  token(): Promise<string>;
  /** Issues a new secret bound to the (new) session; call it right after login. */
  rotate(session: string | undefined): Promise<string>;
}

/** Resolved {@link CsrfOptions}. */
export interface ResolvedCsrfOptions {
  readonly tokens: CsrfTokens;
  readonly isTrusted: OriginMatcher;
  readonly session: (c: Context) => string | undefined | Promise<string | undefined>;
  readonly requestOrigin: (c: Context) => string;
  readonly headerName: string;
  readonly fieldName: string;
  readonly cookieName: string;
  readonly journal: Journal | undefined;
}

const KNOWN = new Set([
  'keys',
  'session',
  'requestOrigin',
  'headerName',
  'fieldName',
  'cookieName',
  'journal',
  'origins',
  'originPatterns',
  'originResolver',
  'hostResolution',
]);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
/** `Authorization` schemes a browser remembers and sends by itself, cross-site forms included. */
const AMBIENT_SCHEMES = new Set(['basic', 'digest', 'ntlm', 'negotiate']);

/**
 * Whether `Authorization` carries a credential a browser does not add by itself (an API key, a bearer token). Basic,
 * Digest, NTLM and Negotiate credentials are cached by browsers and attached to cross-site form posts, so they are
 * ambient, like cookies, and earn no exemption.
 */
function isNonAmbientAuthorization(header: string | undefined): boolean {
  if (header === undefined) return false;
  const value = header.trim();
  if (value.length === 0) return false;
  const space = value.indexOf(' ');
  const scheme = (space === -1 ? value : value.slice(0, space)).toLowerCase();
  return !AMBIENT_SCHEMES.has(scheme);
}
const FORM = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;
const NAME = /^[a-z][a-z0-9_-]*$/i;

/** Validates and precomputes {@link CsrfOptions}. */
export function resolveCsrfOptions(options: CsrfOptions): ResolvedCsrfOptions {
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key))
      throw new SmarterConfigError(`csrf: unknown option "${key}"; known: ${[...KNOWN].join(', ')}.`);
  }
  const headerName = (options.headerName ?? 'x-csrftoken').toLowerCase();
  const fieldName = options.fieldName ?? 'csrfmiddlewaretoken';
  const cookieName = options.cookieName ?? 'csrftoken';
  for (const [what, value] of [
    ['headerName', headerName],
    ['fieldName', fieldName],
    ['cookieName', cookieName],
  ] as const) {
    if (!NAME.test(value))
      throw new SmarterConfigError(`csrf: ${what} "${value}" must be a plain token such as "csrftoken".`);
  }
  return {
    tokens: csrfTokens(options.keys ?? []),
    isTrusted: originMatcher(options, 'csrf'),
    session: options.session ?? (() => undefined),
    requestOrigin: options.requestOrigin ?? ((c) => new URL(c.req.url).origin),
    headerName,
    fieldName,
    cookieName,
    journal: options.journal,
  };
}

/**
 * Layered CSRF protection (SPEC §9) for unsafe methods on requests with ambient credentials: Fetch Metadata, then
 * `Origin` (same origin or trusted, per tenant through the resolver), then a strict `Referer` when there is no
 * `Origin`, then a signed, session-bound, masked token from the `X-CSRFToken` header or the `csrfmiddlewaretoken`
 * form field, whatever the content type. A request with an `Authorization` header and no cookie is exempt (API keys
 * are not ambient), unless its scheme is one browsers send by themselves (Basic, Digest, NTLM, Negotiate). A request with no cookie at all carries no ambient credential: only the browser signals apply
 * (a cross-site `Sec-Fetch-Site` or a foreign `Origin` is refused, which also stops login CSRF, since a cross-site
 * post never carries our SameSite cookies); no token is asked of it, so a script without cookies can call a public
 * endpoint. Failures are 403 problem+json `CSRF_FAILED` with a stable `reason` and a `csrf.rejected` event.
 *
 * @example
 * app.use(csrf({ keys: [secretKey], session: (c) => c.get('sessionId') }));
 * app.get('/', async (c) => c.html(<input type="hidden" name="csrfmiddlewaretoken" value={await csrfToken(c)} />));
 */
export function csrf(options: CsrfOptions): MiddlewareHandler {
  return gateMiddleware(csrfGate(options));
}

/** The CSRF check as a {@link Gate} (used by the preset to run several checks in one layer). */
export function csrfGate(options: CsrfOptions): Gate {
  const r = resolveCsrfOptions(options);

  return function csrf(c) {
    // The per-request state is made on first use (a GET that never asks for a token allocates nothing).
    const request = requestState(c);
    request.csrfOptions = r;
    request.csrf = undefined;
    if (SAFE_METHODS.has(c.req.method)) return undefined;
    if (!c.req.header('cookie') && isNonAmbientAuthorization(c.req.header('authorization'))) return undefined;
    return csrfStateOf(c, request, r).verify();
  };
}

/**
 * Per-request CSRF state: one object (no closures) so a GET that never asks for a token costs one allocation.
 * Origin, cookie name and session binding are computed on first use.
 */
class CsrfRequest implements CsrfState {
  readonly #c: Context;
  readonly #r: ResolvedCsrfOptions;
  #origin: string | undefined;
  #binding: string | undefined;
  #secret: Uint8Array | undefined;

  constructor(c: Context, r: ResolvedCsrfOptions) {
    this.#c = c;
    this.#r = r;
  }

  get origin(): string {
    this.#origin ??= this.#r.requestOrigin(this.#c);
    return this.#origin;
  }

  get https(): boolean {
    return this.origin.startsWith('https:');
  }

  get cookieName(): string {
    return this.https ? `__Host-${this.#r.cookieName}` : this.#r.cookieName;
  }

  async binding(): Promise<string> {
    this.#binding ??= (await this.#r.session(this.#c)) ?? '';
    return this.#binding;
  }

  #setCookie(value: string): void {
    const secure = this.https ? '; Secure' : '';
    this.#c.header('set-cookie', `${this.cookieName}=${value}; Path=/; HttpOnly; SameSite=Lax${secure}`, {
      append: true,
    });
  }

  async token(): Promise<string> {
    if (!this.#secret) {
      const current = getCookie(this.#c, this.cookieName);
      this.#secret = current ? await this.#r.tokens.open(current, await this.binding()) : undefined;
      if (!this.#secret) {
        const issued = await this.#r.tokens.issue(await this.binding());
        this.#setCookie(issued.cookie);
        this.#secret = issued.secret;
      }
    }
    return this.#r.tokens.mask(this.#secret);
  }

  async rotate(session: string | undefined): Promise<string> {
    this.#binding = session ?? '';
    const issued = await this.#r.tokens.issue(this.#binding);
    this.#setCookie(issued.cookie);
    this.#secret = issued.secret;
    return this.#r.tokens.mask(this.#secret);
  }

  async verify(): Promise<Response | undefined> {
    const c = this.#c;
    const reason = await check(c, this.#r, this.origin, this.https, this.cookieName, () => this.binding());
    if (reason === undefined) return undefined;
    const requestId = requestIdOf(c);
    this.#r.journal?.emit(
      {
        type: 'csrf.rejected',
        severity: 'warning',
        requestId,
        clientKey: clientKeyOf(c),
        method: c.req.method,
        path: c.req.path,
        status: 403,
        reason,
      },
      waitUntilOf(c),
    );
    return problemFor(c, { status: 403, code: 'CSRF_FAILED', title: 'CSRF verification failed', reason, requestId });
  }
}

async function trusted(r: ResolvedCsrfOptions, value: string, c: Context): Promise<boolean | 'error'> {
  try {
    return await r.isTrusted(value, c);
  } catch {
    return 'error';
  }
}

async function check(
  c: Context,
  r: ResolvedCsrfOptions,
  self: string,
  https: boolean,
  cookieName: string,
  bindingOf: () => Promise<string>,
): Promise<CsrfReason | undefined> {
  const origin = c.req.header('origin');
  const site = c.req.header('sec-fetch-site');
  // No cookie, no ambient credential (SPEC §9): only the browser's own signals can make such a request forged.
  const ambient = c.req.header('cookie') !== undefined;
  if (!ambient && origin === undefined) return site === 'cross-site' ? 'CROSS_SITE_REQUEST' : undefined;
  if (origin !== undefined) {
    if (origin === 'null') return 'ORIGIN_NULL';
    if (origin !== self || site === 'cross-site') {
      const ok = await trusted(r, origin, c);
      if (ok === 'error') return 'TRUSTED_ORIGINS_UNAVAILABLE';
      if (!ok) return origin !== self ? 'ORIGIN_MISMATCH' : 'CROSS_SITE_REQUEST';
    }
  } else {
    if (site === 'cross-site') return 'CROSS_SITE_REQUEST';
    const referer = c.req.header('referer');
    if (!referer) return 'REFERER_MISSING';
    let refererOrigin: string;
    try {
      refererOrigin = new URL(referer).origin;
    } catch {
      return 'REFERER_MALFORMED';
    }
    if (https && !refererOrigin.startsWith('https:')) return 'REFERER_INSECURE';
    if (refererOrigin !== self) {
      const ok = await trusted(r, refererOrigin, c);
      if (ok === 'error') return 'TRUSTED_ORIGINS_UNAVAILABLE';
      if (!ok) return 'REFERER_MISMATCH';
    }
  }

  if (!ambient) return undefined;
  const cookie = getCookie(c, cookieName);
  if (!cookie) return 'TOKEN_COOKIE_MISSING';
  const secret = await r.tokens.open(cookie, await bindingOf());
  if (!secret) return 'TOKEN_COOKIE_INVALID';
  let token = c.req.header(r.headerName);
  if (token === undefined && FORM.test(c.req.header('content-type') ?? '')) {
    try {
      const form = await c.req.parseBody();
      const field = form[r.fieldName];
      if (typeof field === 'string') token = field;
    } catch {
      return 'TOKEN_MISSING';
    }
  }
  if (!token) return 'TOKEN_MISSING';
  return r.tokens.matches(token.trim(), secret) ? undefined : 'TOKEN_MISMATCH';
}

/**
 * A masked CSRF token for the current response; sets the token cookie when the visitor has none yet. Put it in a
 * hidden `csrfmiddlewaretoken` field and a `<meta name="csrf-token">`.
 */
export function csrfToken(c: Context): Promise<string> {
  return stateOf(c, 'csrfToken()').token();
}

/** Rotates the CSRF secret to a new session (call right after login); returns a masked token for the new secret. */
export function rotateCsrfToken(c: Context, session: string | undefined): Promise<string> {
  return stateOf(c, 'rotateCsrfToken()').rotate(session);
}

function stateOf(c: Context, what: string): CsrfState {
  const request = existingRequestState(c);
  const options = request?.csrfOptions as ResolvedCsrfOptions | undefined;
  if (request === undefined || options === undefined) {
    throw new SmarterConfigError(`${what}: mount csrf() (or smarter()) before this route.`);
  }
  return csrfStateOf(c, request, options);
}

function csrfStateOf(c: Context, request: RequestState, options: ResolvedCsrfOptions): CsrfRequest {
  let state = request.csrf as CsrfRequest | undefined;
  if (state === undefined) {
    state = new CsrfRequest(c, options);
    request.csrf = state;
  }
  return state;
}
