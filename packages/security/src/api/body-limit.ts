import type { Context, MiddlewareHandler } from 'hono';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { type Gate, gateMiddleware } from '../internal/gate.ts';
import { clientKeyOf, requestIdOf, waitUntilOf } from '../internal/request.ts';
import { contentLengthHeader, requestState } from '../internal/request-state.ts';
import type { Journal } from '../journal/journal.ts';
import { problem } from './problems.ts';
import { readBody } from './read-body.ts';

/** Options of {@link bodyLimit}. */
export interface BodyLimitOptions {
  /** Largest request body in bytes, counted while streaming. @default 1048576 (1 MiB) */
  readonly maxBytes?: number;
  /** Where `body.rejected` goes. @default undefined */
  readonly journal?: Journal;
}

/** Resolved {@link BodyLimitOptions}. */
export interface ResolvedBodyLimitOptions {
  readonly maxBytes: number;
  readonly journal: Journal | undefined;
}

/** Validates {@link BodyLimitOptions}. */
export function resolveBodyLimitOptions(options: BodyLimitOptions = {}): ResolvedBodyLimitOptions {
  for (const key of Object.keys(options)) {
    if (key !== 'maxBytes' && key !== 'journal')
      throw new SmarterConfigError(`bodyLimit: unknown option "${key}"; use maxBytes or journal.`);
  }
  const maxBytes = options.maxBytes ?? 1_048_576;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0)
    throw new SmarterConfigError('bodyLimit: maxBytes must be a whole number of bytes.');
  return { maxBytes, journal: options.journal };
}

/** What {@link declaredBody} says of a request's body. */
export interface DeclaredBody {
  readonly length: number | undefined;
  readonly present: boolean;
}

const NO_BODY: DeclaredBody = Object.freeze({ length: undefined, present: false });
const UNDECLARED_BODY: DeclaredBody = Object.freeze({ length: undefined, present: true });

/**
 * What a request says about its body, from headers only (no body access: keeps Node's fast path). `length` is the
 * declared size (NaN when malformed); `present` is false only when there is certainly no body. When neither
 * `Content-Length` nor `Transfer-Encoding` is visible but the runtime still hands over a stream (some adapters do
 * for every POST), `length` is undefined and the caller reads the stream to find out.
 */
export function declaredBody(c: Context): DeclaredBody {
  const cl = contentLengthHeader(c);
  if (cl !== undefined) {
    const length = /^\d{1,15}$/.test(cl) ? Number(cl) : Number.NaN;
    return length === 0 ? NO_BODY : { length, present: true };
  }
  const method = c.req.method;
  // GET and HEAD requests have no body a handler can read (the runtimes' Request refuses one).
  if (method === 'GET' || method === 'HEAD') return NO_BODY;
  if (c.req.header('transfer-encoding') !== undefined) return UNDECLARED_BODY;
  // A preflight has no body; an OPTIONS request that sends one declares it, and is counted above.
  if (method === 'OPTIONS') return NO_BODY;
  return c.req.raw.body !== null ? UNDECLARED_BODY : NO_BODY;
}

/**
 * Whether the request's declared `Content-Length` bounds its body: it is still the request the outermost Smarter
 * layer received (where the server framed the body by that length) and it carries no `Transfer-Encoding`. A layer
 * that replaced the request since, a decompressing one say, may have kept a length that no longer describes the
 * body: such a body is counted as it streams. Mount Smarter first.
 */
export function lengthFramesBody(c: Context): boolean {
  return requestState(c).entryRequest === c.req.raw && c.req.header('transfer-encoding') === undefined;
}

/** The 413 answer, journaled. */
export function tooLarge(c: Context, journal: Journal | undefined, maxBytes: number): Response {
  journal?.emit(
    {
      type: 'body.rejected',
      severity: 'notice',
      requestId: requestIdOf(c),
      clientKey: clientKeyOf(c),
      method: c.req.method,
      path: c.req.path,
      status: 413,
      reason: 'BODY_TOO_LARGE',
      details: { maxBytes },
    },
    waitUntilOf(c),
  );
  return problem(c, 413, 'PAYLOAD_TOO_LARGE', 'Request body too large');
}

/**
 * Request body size limit (SPEC §10). A declared `Content-Length` is checked from the header (the HTTP parser
 * enforces it); a body without one (chunked) is counted while streaming and buffered only up to the limit, then
 * handed to the handler through Hono's body cache. Requests without a body are never touched.
 *
 * @example
 * app.use(bodyLimit({ maxBytes: 64 * 1024 }));
 */
export function bodyLimit(options?: BodyLimitOptions): MiddlewareHandler {
  return gateMiddleware(bodyLimitGate(options));
}

/** The body size check as a {@link Gate} (used by the preset to run several checks in one layer). */
export function bodyLimitGate(options?: BodyLimitOptions): Gate {
  const r = resolveBodyLimitOptions(options);
  return function bodyLimit(c) {
    const { length, present } = declaredBody(c);
    if (!present) return undefined;
    if (length !== undefined) {
      if (Number.isNaN(length)) return problem(c, 400, 'BAD_REQUEST', 'Invalid Content-Length');
      if (length > r.maxBytes) return tooLarge(c, r.journal, r.maxBytes);
      if (lengthFramesBody(c)) return undefined;
    }
    const body = c.req.raw.body;
    if (!body) return undefined;
    return bufferBody(c, r, body);
  };
}

async function bufferBody(
  c: Context,
  r: ResolvedBodyLimitOptions,
  body: ReadableStream<Uint8Array>,
): Promise<Response | undefined> {
  const bytes = await readBody(body, r.maxBytes);
  if (bytes === 'TOO_LARGE') return tooLarge(c, r.journal, r.maxBytes);
  if (bytes === 'UNREADABLE') return problem(c, 400, 'BAD_REQUEST', 'Unreadable request body');
  // Hono keeps body promises in this cache (its type says values); every body reader then sees these bytes.
  (c.req.bodyCache as Record<string, unknown>)['arrayBuffer'] = Promise.resolve(bytes.buffer);
  return undefined;
}
