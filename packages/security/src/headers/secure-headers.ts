import type { Context, MiddlewareHandler } from 'hono';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { newNonce } from '../internal/nonce.ts';
import { type Phase, phaseMiddleware } from '../internal/phase.ts';
import { requestIdGenerator } from '../internal/request-ids.ts';
import { type RequestState, requestState } from '../internal/request-state.ts';
import { type HeaderBag, type HeaderState, replaceResponse, withHeaders } from '../internal/response-headers.ts';
import { API_CSP, buildCsp, type CspDirectives, HTML_CSP, mergeCsp } from './csp.ts';
import { type CspHeaderName, commonHeaders, DEFAULT_PERMISSIONS_POLICY, jsonHeaderBuilder } from './profiles.ts';

/** Referrer policies that keep URLs private. `same-origin` keeps `Origin`/`Referer` on same-origin posts for CSRF. */
export type PrivateReferrerPolicy = 'same-origin' | 'no-referrer' | 'strict-origin' | 'strict-origin-when-cross-origin';

/** Options of {@link secureHeaders}. */
export interface SecureHeadersOptions {
  /** Directives merged over the HTML profile (an empty list removes one). Use `NONCE` for the nonce. @default HTML_CSP */
  readonly htmlCsp?: CspDirectives;
  /** Directives merged over the API profile. @default API_CSP (`default-src 'none'; frame-ancestors 'none'`) */
  readonly apiCsp?: CspDirectives;
  /** Send `Content-Security-Policy-Report-Only` instead of enforcing. @default false */
  readonly reportOnly?: boolean;
  /** Path of the CSP report endpoint (see `cspReport()`); adds `report-uri`. @default undefined (no reports) */
  readonly reportUri?: string;
  /** `Referrer-Policy`. `no-referrer` makes browsers send `Origin: null` on same-origin posts. @default 'same-origin' */
  readonly referrerPolicy?: PrivateReferrerPolicy;
  /** `Permissions-Policy`. @default every powerful feature off */
  readonly permissionsPolicy?: string;
  /** `Cross-Origin-Resource-Policy`. @default 'same-origin' */
  readonly crossOriginResourcePolicy?: 'same-origin' | 'same-site';
  /** Allow `'unsafe-inline'`, `'unsafe-eval'` or `*` in script sources. @default false */
  readonly dangerouslyAllowUnsafeScripts?: boolean;
  /** Also give each request its id (`c.get('requestId')`, `X-Request-Id`), saving a layer. @default false */
  readonly requestIds?: boolean;
}

/** Per-route changes, applied by {@link secureHeadersOverride}. */
export interface SecureHeadersOverride {
  /** Directives merged over this route's HTML policy. */
  readonly htmlCsp?: CspDirectives;
  /** Directives merged over this route's API policy. */
  readonly apiCsp?: CspDirectives;
  /** Extra or replaced headers (lower-case names); `null` removes one of the defaults. */
  readonly headers?: Readonly<Record<string, string | null>>;
}

/** Variables set by {@link secureHeaders}. */
export interface SecureHeadersVariables {
  /** This request's CSP nonce: put it on every inline `<script nonce>` and `<style nonce>`. */
  cspNonce: string;
}

/** The resolved, precomputed form of {@link SecureHeadersOptions}. */
export interface ResolvedSecureHeaders {
  readonly cspHeader: CspHeaderName;
  readonly common: Readonly<Record<string, string>>;
  readonly html: CspDirectives;
  readonly api: CspDirectives;
  readonly htmlCsp: readonly string[];
  readonly apiCsp: string;
  /** Every secure header of a JSON-family response with its content type, as a new object of a fixed shape. */
  readonly jsonHeaders: (contentType: string) => Record<string, string>;
  readonly reportUri: string | undefined;
  readonly allowUnsafeScripts: boolean;
  readonly requestIds: boolean;
}

const KNOWN = new Set([
  'htmlCsp',
  'apiCsp',
  'reportOnly',
  'reportUri',
  'referrerPolicy',
  'permissionsPolicy',
  'crossOriginResourcePolicy',
  'dangerouslyAllowUnsafeScripts',
  'requestIds',
]);
const REFERRER = new Set(['same-origin', 'no-referrer', 'strict-origin', 'strict-origin-when-cross-origin']);
const OVERRIDE = 'smarterHeadersOverride';

function withReport(directives: CspDirectives, reportUri: string | undefined): CspDirectives {
  return reportUri ? { ...directives, 'report-uri': [reportUri] } : directives;
}

/** Validates and precomputes {@link SecureHeadersOptions}; throws {@link SmarterConfigError} on unknown or unsafe options. */
export function resolveSecureHeadersOptions(options: SecureHeadersOptions = {}): ResolvedSecureHeaders {
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key))
      throw new SmarterConfigError(`secureHeaders: unknown option "${key}"; known: ${[...KNOWN].join(', ')}.`);
  }
  const referrerPolicy = options.referrerPolicy ?? 'same-origin';
  if (!REFERRER.has(referrerPolicy)) {
    throw new SmarterConfigError(`secureHeaders: referrerPolicy "${referrerPolicy}" leaks URLs; use "same-origin".`);
  }
  const reportUri = options.reportUri;
  if (reportUri !== undefined && !/^\/[\w\-/.]*$/.test(reportUri)) {
    throw new SmarterConfigError('secureHeaders: reportUri must be a same-origin path such as "/csp-report".');
  }
  const allowUnsafeScripts = options.dangerouslyAllowUnsafeScripts === true;
  const html = withReport(mergeCsp(HTML_CSP, options.htmlCsp), reportUri);
  const api = withReport(mergeCsp(API_CSP, options.apiCsp), reportUri);
  const htmlCsp = buildCsp(html, { allowUnsafeScripts });
  const apiParts = buildCsp(api, { allowUnsafeScripts });
  if (apiParts.length > 1)
    throw new SmarterConfigError('secureHeaders: the API policy cannot use NONCE (JSON has no inline scripts).');
  const apiCsp = apiParts.join('');
  const cspHeader: CspHeaderName = options.reportOnly
    ? 'content-security-policy-report-only'
    : 'content-security-policy';
  const common = commonHeaders({
    referrerPolicy,
    permissionsPolicy: options.permissionsPolicy ?? DEFAULT_PERMISSIONS_POLICY,
    crossOriginResourcePolicy: options.crossOriginResourcePolicy ?? 'same-origin',
  });
  const jsonHeaders = jsonHeaderBuilder(common, cspHeader, apiCsp);
  const requestIds = options.requestIds === true;
  return { cspHeader, common, html, api, htmlCsp, apiCsp, jsonHeaders, reportUri, allowUnsafeScripts, requestIds };
}

interface ResolvedOverride {
  readonly htmlCsp: readonly string[];
  readonly apiCsp: string;
  readonly headers: Readonly<Record<string, string | null>>;
}

/**
 * Per-route changes to the secure headers (for example a page that may be framed by one partner). Mount it on the
 * route, inside {@link secureHeaders}; the CSP is merged over the instance's policy and validated the same way.
 *
 * @example
 * app.get('/embed', secureHeadersOverride({ htmlCsp: { 'frame-ancestors': ['https://partner.example'] } }), handler);
 */
export function secureHeadersOverride(override: SecureHeadersOverride): MiddlewareHandler {
  for (const key of Object.keys(override)) {
    if (key !== 'htmlCsp' && key !== 'apiCsp' && key !== 'headers') {
      throw new SmarterConfigError(`secureHeadersOverride: unknown option "${key}"; use htmlCsp, apiCsp or headers.`);
    }
  }
  // Validate now with the default profiles so a bad override fails at startup, not on the first request.
  buildCsp(mergeCsp(HTML_CSP, override.htmlCsp));
  buildCsp(mergeCsp(API_CSP, override.apiCsp));
  return async function secureHeadersOverride(c, next) {
    c.set(OVERRIDE as never, override as never);
    await next();
  };
}

function resolveOverride(
  r: ResolvedSecureHeaders,
  override: SecureHeadersOverride,
  cache: WeakMap<SecureHeadersOverride, ResolvedOverride>,
): ResolvedOverride {
  let resolved = cache.get(override);
  if (!resolved) {
    const opts = { allowUnsafeScripts: r.allowUnsafeScripts };
    resolved = {
      htmlCsp: buildCsp(mergeCsp(r.html, override.htmlCsp), opts),
      apiCsp: buildCsp(mergeCsp(r.api, override.apiCsp), opts).join(''),
      headers: override.headers ?? {},
    };
    cache.set(override, resolved);
  }
  return resolved;
}

type JsonFn = Context['json'];

function mergeVary(h: Headers, value: string): void {
  const current = h.get('vary');
  h.set('vary', current ? mergeVaryText(current, value) : value);
}

/** `Vary` tokens of `current` plus those of `value` it lacks (case-insensitive). */
function mergeVaryText(current: string, value: string): string {
  const have = new Set(current.toLowerCase().split(/\s*,\s*/));
  const add = value.split(/\s*,\s*/).filter((t) => !have.has(t.toLowerCase()));
  return add.length ? `${current}, ${add.join(', ')}` : current;
}

/**
 * Secure headers on every response, including errors, guard rejections, redirects and immutable `fetch()`
 * responses (SPEC §7). HTML gets a CSP with a per-request nonce (`c.get('cspNonce')`) and `Cache-Control: private,
 * no-store`; everything else gets the API profile and `Cache-Control: no-store` unless it set its own.
 * Mount it outermost so every other layer's answers carry the headers.
 *
 * Performance: a plain `c.json(value[, status])` builds its response with every header in one plain object (the
 * Node adapter then writes it without a `Headers` object); other responses get the headers set once, after `next()`.
 *
 * @example
 * app.use(secureHeaders());
 * app.get('/', (c) => c.html(<script nonce={c.get('cspNonce')}>…</script>));
 */
export function secureHeaders(
  options?: SecureHeadersOptions,
): MiddlewareHandler<{ Variables: SecureHeadersVariables }> {
  return phaseMiddleware(secureHeadersPhase(options)) as MiddlewareHandler<{ Variables: SecureHeadersVariables }>;
}

/**
 * The per-request {@link HeaderState}. A class (one shared `respond`), not an object literal with a closure: a
 * closure per request that captures the context was measured to make the whole request several times slower.
 */
class RequestHeaderState implements HeaderState {
  fast: Response | undefined = undefined;
  fastHeaders: Record<string, string> | undefined = undefined;
  readonly nonce: string;
  readonly bag: HeaderBag;
  readonly #r: ResolvedSecureHeaders;
  readonly #request: RequestState;
  constructor(nonce: string, bag: HeaderBag, r: ResolvedSecureHeaders, request: RequestState) {
    this.nonce = nonce;
    this.bag = bag;
    this.#r = r;
    this.#request = request;
  }

  respond(
    c: Context,
    body: string | undefined,
    status: number,
    contentType: string,
    extra?: Record<string, string>,
  ): Response | undefined {
    if (c.get(OVERRIDE as never)) return undefined;
    const headers = this.#r.jsonHeaders(contentType);
    const bag = this.bag;
    for (const name in bag) headers[name] = bag[name] as string;
    if (extra) {
      for (const name in extra) {
        const value = extra[name] as string;
        const lower = name.toLowerCase();
        const current = headers[lower];
        headers[lower] = lower === 'vary' && current !== undefined ? mergeVaryText(current, value) : value;
      }
    }
    return this.#build(body, status, headers);
  }

  #build(body: string | undefined, status: number, headers: Record<string, string>): Response {
    this.#request.responseBytes = body?.length ?? 0;
    const res = new (fastResponseClass())(body, { status, headers }, this);
    this.fast = res;
    this.fastHeaders = fastNotices ? headers : undefined;
    return res;
  }

  /** Someone read the fast response's headers (and may change them): the plain object no longer speaks for them. */
  headersRead(): void {
    this.fastHeaders = undefined;
  }
}

/** What a fast response tells when its headers are read. */
interface HeadersReadNotice {
  headersRead(): void;
}

type FastResponseClass = new (body: string | undefined, init: ResponseInit, notice: HeadersReadNotice) => Response;
let fastBase: typeof Response | undefined;
let fastClass: FastResponseClass | undefined;
/** Whether reading a fast response's `headers` reaches the override on this runtime (checked once per class). */
let fastNotices = false;

/**
 * The class of fast-path responses: a `Response` that tells its request's header state when its `headers` are read,
 * so {@link responseHasHeader} answers from the plain object only while nobody can have changed the headers. Made
 * from the `Response` global of the moment (the Node adapter installs its own lightweight one when it starts, and
 * its fast path must recognise ours), and made again if that global changes. A runtime where `headers` is an own
 * property of each response (old Workers compatibility dates) or where subclasses lose their prototype would hide
 * the override: a probe finds that out once, and then no answer is given from the plain object at all.
 */
function fastResponseClass(): FastResponseClass {
  const base = globalThis.Response;
  if (fastClass === undefined || fastBase !== base) {
    fastBase = base;
    const made = class FastResponse extends base {
      readonly #notice: HeadersReadNotice;
      constructor(body: string | undefined, init: ResponseInit, notice: HeadersReadNotice) {
        super(body, init);
        this.#notice = notice;
      }
      override get headers(): Headers {
        this.#notice.headersRead();
        return super.headers;
      }
    };
    const seen = { read: false };
    let works = false;
    try {
      const probe = new made(
        '',
        { status: 200, headers: { 'x-probe': '1' } },
        { headersRead: () => (seen.read = true) },
      );
      works = probe.headers.get('x-probe') === '1' && seen.read && !Object.hasOwn(probe, 'headers');
    } catch {
      works = false;
    }
    fastNotices = works;
    fastClass = made;
  }
  return fastClass;
}

/** {@link secureHeaders} as a phase (the preset runs it in its composed layer, outermost after resource logging). */
export function secureHeadersPhase(options?: SecureHeadersOptions): Phase {
  const r = resolveSecureHeadersOptions(options);
  const overrides = new WeakMap<SecureHeadersOverride, ResolvedOverride>();
  const commonEntries = Object.entries(r.common);
  const nonced = r.htmlCsp.length > 1;
  const nextRequestId = r.requestIds ? requestIdGenerator() : undefined;

  const before = function secureHeaders(c: Context): undefined {
    const nonce = newNonce();
    const bag: HeaderBag = {};
    const request = requestState(c);
    const state = new RequestHeaderState(nonce, bag, r, request);
    request.headers = state;
    c.set('cspNonce' as never, nonce as never);
    if (nextRequestId) {
      const id = nextRequestId();
      c.set('requestId' as never, id as never);
      bag['x-request-id'] = id;
    }

    // Fast path for the common API answer; anything unusual (a header or status set first) takes Hono's own path.
    const json = c.json;
    const header = c.header;
    const status = c.status;
    let plain = true;
    c.header = ((name: string, value?: string, opts?: { append?: boolean }) => {
      plain = false;
      header(name, value as string, opts);
    }) as typeof c.header;
    c.status = (code) => {
      plain = false;
      status(code);
    };
    c.json = ((object: unknown, arg?: unknown, headers?: unknown) => {
      // respond() declines when a per-route override applies; then Hono builds it and `after` decorates it.
      const fast =
        plain && headers === undefined && (arg === undefined || typeof arg === 'number')
          ? state.respond(c, JSON.stringify(object), (arg as number | undefined) ?? 200, 'application/json')
          : undefined;
      return fast ?? (json as (...args: unknown[]) => Response)(object, arg, headers);
    }) as JsonFn;
    return undefined;
  };

  const after = function secureHeadersAfter(c: Context): void {
    const state = requestState(c).headers as HeaderState;
    if (c.res === state.fast) return;
    const { nonce, bag } = state;
    const override = c.get(OVERRIDE as never) as SecureHeadersOverride | undefined;
    const o = override ? resolveOverride(r, override, overrides) : undefined;
    const { response, copied } = withHeaders(c.res, (h) => {
      const html = (h.get('content-type') ?? '').toLowerCase().startsWith('text/html');
      for (const [name, value] of commonEntries) h.set(name, value);
      // A policy the handler set (a download's `sandbox`, an upstream response's) is kept beside ours: browsers
      // enforce every policy they get, so the pair is at least as strict as either, and neither can loosen ours.
      const handlers = h.get(r.cspHeader);
      if (html) {
        h.set(r.cspHeader, (o?.htmlCsp ?? r.htmlCsp).join(nonce));
        if (nonced) h.set('cache-control', 'private, no-store');
      } else {
        h.set(r.cspHeader, o?.apiCsp ?? r.apiCsp);
        if (!h.has('cache-control')) h.set('cache-control', 'no-store');
      }
      if (handlers !== null && handlers !== h.get(r.cspHeader)) h.append(r.cspHeader, handlers);
      h.delete('x-powered-by');
      h.delete('server');
      for (const name in bag) {
        const value = bag[name] as string;
        if (name === 'vary') mergeVary(h, value);
        else h.set(name, value);
      }
      if (o) {
        for (const [name, value] of Object.entries(o.headers)) {
          if (value === null) h.delete(name);
          else h.set(name, value);
        }
      }
    });
    if (copied) replaceResponse(c, response);
  };
  return { before, after };
}
