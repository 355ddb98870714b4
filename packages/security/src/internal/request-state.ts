import type { Context } from 'hono';
import type { ClientIdentity } from '../identity/types.ts';
import type { CanonicalPathResult } from '../path/canonicalize.ts';
import type { HeaderState } from './response-headers.ts';

/**
 * The values Smarter's layers share within one request, in one object on the context. Not a context variable: every
 * `c.set` is a Map insertion, Hono's variable Map regrows at its 5th and 9th entries (about 0.1 µs each), and these
 * are internals, not something for handlers to read.
 */
export class RequestState {
  /** The secure-headers layer's state, when it runs outermost. */
  headers: HeaderState | undefined = undefined;
  /** The client identity the identity layer resolved (also the `clientIdentity` variable; read here without a Map). */
  identity: ClientIdentity | undefined = undefined;
  /** The canonical path, computed once and shared by every path rule. */
  canonical: CanonicalPathResult | undefined = undefined;
  /** When the resource layer started timing this request (its clock's milliseconds); NaN until it has. */
  started: number = Number.NaN;
  /** True once a guard checked this request against the ban list. */
  banChecked = false;
  /** The length of a body the secure-headers fast path serialised (UTF-16 units), when it built the response. */
  responseBytes: number | undefined = undefined;
  /** The request's `Content-Length` header (`undefined` when absent), as read from {@link contentLengthOf}. */
  contentLength: string | undefined = undefined;
  /** The request `contentLength` was read from; a layer that replaces `c.req.raw` makes it stale. */
  contentLengthOf: Request | undefined = undefined;
  /** The request's `Host` header (`null` when absent), as the identity layer read it from {@link hostHeaderOf}. */
  hostHeader: string | null = null;
  /** The request `hostHeader` was read from (undefined until the identity layer ran). */
  hostHeaderOf: Request | undefined = undefined;
  /**
   * The request as the outermost Smarter layer received it (the one that made this state): while `c.req.raw` is still
   * this one, its body is the one the server framed by its `Content-Length`.
   */
  readonly entryRequest: Request;
  /** The resolved options of the CSRF layer that saw this request (its per-request state is made from them). */
  csrfOptions: object | undefined = undefined;
  /** The CSRF layer's per-request state, made on first use (a token asked for, or an unsafe request checked). */
  csrf: object | undefined = undefined;

  constructor(entryRequest: Request) {
    this.entryRequest = entryRequest;
  }
}

const KEY: unique symbol = Symbol('smarterRequestState');

/** The context as seen by this module: the state rides on it under a private symbol. */
type WithState = Context & { [KEY]?: RequestState };

/** This request's shared state, created on first use. */
export function requestState(c: Context): RequestState {
  let state = (c as WithState)[KEY];
  if (state === undefined) {
    state = new RequestState(c.req.raw);
    (c as WithState)[KEY] = state;
  }
  return state;
}

/** This request's shared state when a layer already created it (reads never create one). */
export function existingRequestState(c: Context): RequestState | undefined {
  return (c as WithState)[KEY];
}

/**
 * The request's `Content-Length` header, read once per request (the body limit and the resource log both need it).
 * Read again when a middleware has replaced the request since (a decompressing layer, say), so every check sees
 * the header of the request it is looking at.
 */
export function contentLengthHeader(c: Context): string | undefined {
  const state = requestState(c);
  const raw = c.req.raw;
  if (state.contentLengthOf !== raw) {
    state.contentLength = raw.headers.get('content-length') ?? undefined;
    state.contentLengthOf = raw;
  }
  return state.contentLength;
}

/**
 * The request's `Host` header (`null` when absent): the value the identity layer read, when it read it from this very
 * request, so host validation does not look it up a second time; read now otherwise.
 */
export function hostHeaderOf(c: Context): string | null {
  const raw = c.req.raw;
  const state = existingRequestState(c);
  return state !== undefined && state.hostHeaderOf === raw ? state.hostHeader : raw.headers.get('host');
}
