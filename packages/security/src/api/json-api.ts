import type { Context, MiddlewareHandler } from 'hono';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { type Gate, gateMiddleware } from '../internal/gate.ts';
import type { Journal } from '../journal/journal.ts';
import { declaredBody, lengthFramesBody, tooLarge } from './body-limit.ts';
import { parseJsonBody } from './json-body.ts';
import { problem } from './problems.ts';
import { type BodyFailure, readBody } from './read-body.ts';

/** Options of {@link jsonApi}. */
export interface JsonApiOptions {
  /** Largest JSON body in bytes, counted while streaming. @default 1048576 (1 MiB) */
  readonly maxBytes?: number;
  /** Deepest allowed nesting of objects and arrays. @default 32 */
  readonly maxDepth?: number;
  /** Where `body.rejected` goes. @default undefined */
  readonly journal?: Journal;
}

/** Resolved {@link JsonApiOptions}. */
export interface ResolvedJsonApiOptions {
  readonly maxBytes: number;
  readonly maxDepth: number;
  readonly journal: Journal | undefined;
}

/** Variables set by {@link jsonApi}. */
export interface JsonApiVariables {
  /** The parsed, checked JSON body (undefined when the request had none). `c.req.json()` returns it too. */
  jsonBody: unknown;
}

/** Validates {@link JsonApiOptions}. */
export function resolveJsonApiOptions(options: JsonApiOptions = {}): ResolvedJsonApiOptions {
  for (const key of Object.keys(options)) {
    if (!['maxBytes', 'maxDepth', 'journal'].includes(key)) {
      throw new SmarterConfigError(`jsonApi: unknown option "${key}"; use maxBytes, maxDepth or journal.`);
    }
  }
  const maxBytes = options.maxBytes ?? 1_048_576;
  const maxDepth = options.maxDepth ?? 32;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 2)
    throw new SmarterConfigError('jsonApi: maxBytes must be a whole number ≥ 2.');
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > 1000)
    throw new SmarterConfigError('jsonApi: maxDepth must be 1..1000.');
  return { maxBytes, maxDepth, journal: options.journal };
}

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;
const TITLES: Record<string, string> = {
  INVALID_UTF8: 'Request body is not valid UTF-8',
  INVALID_JSON: 'Request body is not valid JSON',
  NESTING_TOO_DEEP: 'Request body is nested too deeply',
  FORBIDDEN_KEY: 'Request body contains a forbidden key',
};

/**
 * JSON-only request bodies under the API prefixes (SPEC §10): any body must be JSON (415 otherwise), within the size
 * limit while streaming (413), valid UTF-8, valid JSON, not nested deeper than the limit and free of
 * `__proto__`/`constructor`/`prototype` keys (400 with a reason). The checked body is cached, so `c.req.json()`
 * and validators read it without a second stream read. Requests without a body pass untouched.
 *
 * @example
 * app.use('/api/*', jsonApi({ maxBytes: 256 * 1024 }));
 */
export function jsonApi(options?: JsonApiOptions): MiddlewareHandler<{ Variables: JsonApiVariables }> {
  return gateMiddleware(jsonApiGate(options));
}

/** The JSON body check as a {@link Gate} (used by the preset to run several checks in one layer). */
export function jsonApiGate(options?: JsonApiOptions): Gate {
  const r = resolveJsonApiOptions(options);
  return function jsonApi(c) {
    const { length, present } = declaredBody(c);
    if (!present) return undefined;
    return checkJsonBody(c, r, length);
  };
}

async function checkJsonBody(
  c: Context,
  r: ResolvedJsonApiOptions,
  length: number | undefined,
): Promise<Response | undefined> {
  const isJson = JSON_TYPE.test(c.req.header('content-type') ?? '');
  const unsupported = () =>
    problem(c, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Request body must be application/json', {
      headers: { 'accept-post': 'application/json' },
    });
  if (length !== undefined) {
    if (Number.isNaN(length)) return problem(c, 400, 'BAD_REQUEST', 'Invalid Content-Length');
    if (!isJson) return unsupported();
    if (length > r.maxBytes) return tooLarge(c, r.journal, r.maxBytes);
  }
  const method = c.req.method;
  if (method === 'GET' || method === 'HEAD') return undefined;
  // A declared length bounds the body only when the server framed it (see lengthFramesBody).
  const framed = length !== undefined && lengthFramesBody(c);
  const bytes = framed ? await readDeclared(c, r.maxBytes) : await readStream(c, r.maxBytes);
  if (bytes === undefined) return undefined;
  if (bytes === 'TOO_LARGE') return tooLarge(c, r.journal, r.maxBytes);
  if (bytes === 'UNREADABLE') return problem(c, 400, 'BAD_REQUEST', 'Unreadable request body');
  if (bytes.byteLength === 0) {
    // A stream with nothing in it (an adapter's empty body): there was no body after all.
    (c.req.bodyCache as Record<string, unknown>)['arrayBuffer'] = Promise.resolve(bytes.buffer);
    return undefined;
  }
  if (!isJson) return unsupported();
  const parsed = parseJsonBody(bytes, r.maxDepth);
  if (!parsed.ok) {
    return problem(c, 400, 'INVALID_BODY', TITLES[parsed.reason] ?? 'Invalid request body', {
      reason: parsed.reason,
    });
  }
  (c.req.bodyCache as Record<string, unknown>)['text'] = Promise.resolve(parsed.text);
  c.set('jsonBody' as never, parsed.value as never);
  return undefined;
}

/** A body without a declared length (chunked): read as a stream, counted against the limit as it arrives. */
function readStream(c: Context, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | BodyFailure> | undefined {
  const stream = c.req.raw.body;
  return stream ? readBody(stream, maxBytes) : undefined;
}

/**
 * A body whose `Content-Length` is within the limit, on the request the server handed in: its framing stops the body
 * at that length, so it is read in one call, which on Node takes the adapter's direct path instead of a web stream
 * (measured: a small JSON POST costs several times less). Its size is checked again all the same. A request that a
 * layer replaced since (a decompressing one, say, which may have kept the compressed length) is read as a counted
 * stream instead.
 */
async function readDeclared(c: Context, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | BodyFailure> {
  let buffer: ArrayBuffer;
  try {
    buffer = await c.req.raw.arrayBuffer();
  } catch {
    return 'UNREADABLE';
  }
  return buffer.byteLength > maxBytes ? 'TOO_LARGE' : new Uint8Array(buffer);
}
