import type { Context } from 'hono';
import { existingRequestState } from './request-state.ts';

/** Lower-case header name → value; applied to the response in one step by the secure-headers layer. */
export type HeaderBag = Record<string, string>;

/** What the secure-headers layer keeps per request (set by its `before`, read by guards and its `after`). */
export interface HeaderState {
  /** This request's CSP nonce. */
  readonly nonce: string;
  /** Headers other layers add (CORS, HSTS, rate-limit, request id), merged into the response once. */
  readonly bag: HeaderBag;
  /** A response built with every header already on it; the `after` step leaves it alone. */
  fast: Response | undefined;
  /** The plain headers object `fast` was built with (lower-case names). */
  fastHeaders: Readonly<Record<string, string>> | undefined;
  /**
   * Builds a JSON-family response with every secure header, the bag and `extra` in one plain object (the Node
   * adapter writes it without a `Headers` object), or undefined when a per-route override needs the general path.
   */
  respond(
    c: Context,
    body: string | undefined,
    status: number,
    contentType: string,
    extra?: Record<string, string>,
  ): Response | undefined;
}

/** The secure-headers state of the current request, when that layer runs outermost. */
export function headerState(c: Context): HeaderState | undefined {
  return existingRequestState(c)?.headers;
}

/** The bag of the current request, when the secure-headers layer runs outermost. */
export function headerBag(c: Context): HeaderBag | undefined {
  return headerState(c)?.bag;
}

/**
 * Adds a response header the cheapest way: into the bag when the secure-headers layer collects them (one merge at the
 * end), or through `c.header()` otherwise. `name` must be lower-case.
 */
export function addResponseHeader(c: Context, name: string, value: string): void {
  const bag = headerBag(c);
  if (bag) bag[name] = value;
  else c.header(name, value);
}

/** Adds a token to `Vary` without repeating it. */
export function addVary(c: Context, token: string): void {
  const bag = headerBag(c);
  if (bag) {
    const current = bag['vary'];
    if (current === undefined) bag['vary'] = token;
    else if (
      !current
        .toLowerCase()
        .split(/\s*,\s*/)
        .includes(token.toLowerCase())
    )
      bag['vary'] = `${current}, ${token}`;
    return;
  }
  c.header('vary', token, { append: true });
}

/**
 * Sets `headers` on a response, in place when its headers are mutable, otherwise on a mutable copy (a `fetch()`
 * response, `Response.redirect()`). Returns the response to use.
 */
export function withHeaders(
  res: Response,
  apply: (headers: Headers) => void,
): { readonly response: Response; readonly copied: boolean } {
  try {
    apply(res.headers);
    return { response: res, copied: false };
  } catch {
    const copy = new Response(res.body, { status: res.status, statusText: res.statusText, headers: res.headers });
    apply(copy.headers);
    return { response: copy, copied: true };
  }
}

/** Replaces the context's response without Hono merging the old headers back in. */
export function replaceResponse(c: Context, res: Response): void {
  c.res = undefined;
  c.res = res;
}

/**
 * Whether the current response carries header `name` (any case), without touching `c.res.headers` when the
 * secure-headers layer built the response from a plain object: on Node, reading a response's `headers` makes the
 * adapter build a `Headers` object from that plain one (every header validated again) and write the response from it
 * (API-key auth's check cost about 17 µs of server CPU per request that way, through a socket).
 */
export function responseHasHeader(c: Context, name: string): boolean {
  const state = headerState(c);
  const res = c.res;
  if (state?.fast !== undefined && state.fast === res && state.fastHeaders !== undefined) {
    return Object.hasOwn(state.fastHeaders, name.toLowerCase());
  }
  return res.headers.has(name);
}
