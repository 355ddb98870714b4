/** Media type of RFC 9457 problem details. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An RFC 9457 problem document as Smarter renders it. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
  /** A stable sub-code (UPPER_SNAKE) saying which check failed, e.g. CSRF `ORIGIN_MISMATCH`. */
  readonly reason?: string;
  readonly requestId?: string;
}

/** Input for {@link problemBody}. */
export interface ProblemInit {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail?: string | undefined;
  readonly reason?: string | undefined;
  readonly requestId?: string | undefined;
}

/** Builds the problem document. `type` is a stable URN derived from the code, never a URL that could leak hosts. */
export function problemBody(init: ProblemInit): Problem {
  const body: { -readonly [K in keyof Problem]: Problem[K] } = {
    type: `urn:smarter:problem:${init.code.toLowerCase().replaceAll('_', '-')}`,
    title: init.title,
    status: init.status,
    code: init.code,
  };
  if (init.detail !== undefined) body.detail = init.detail;
  if (init.reason !== undefined) body.reason = init.reason;
  if (init.requestId !== undefined) body.requestId = init.requestId;
  return body;
}

/** One serialised head (`{"type":…,"title":…,"status":…,"code":…`) and the status and title it was made for. */
interface Head {
  readonly status: number;
  readonly title: string;
  readonly json: string;
}

/**
 * Heads by code (status and title compared on a hit; codes and titles come from code, so a code has one or two).
 * Keyed by the code string alone: a key concatenated per call had to be flattened and hashed on every rejection.
 */
const heads = new Map<string, Head[]>();
const MAX_HEADS = 512;

function headOf(status: number, code: string, title: string): string {
  const list = heads.get(code);
  if (list !== undefined) {
    for (const head of list) if (head.status === status && head.title === title) return head.json;
  }
  const { type } = problemBody({ status, code, title });
  const json = JSON.stringify({ type, title, status, code }).slice(0, -1);
  if (list !== undefined) {
    if (list.length < 8) list.push({ status, title, json });
  } else if (heads.size < MAX_HEADS) heads.set(code, [{ status, title, json }]);
  return json;
}

/**
 * `JSON.stringify(problemBody(init))`, with the part that depends only on status, code and title serialised once
 * per distinct triple (rejections under a flood repeat the same few), the optional fields appended in the same
 * order.
 */
export function problemJson(init: ProblemInit): string {
  let json = headOf(init.status, init.code, init.title);
  if (init.detail !== undefined) json += `,"detail":${JSON.stringify(init.detail)}`;
  if (init.reason !== undefined) json += `,"reason":${JSON.stringify(init.reason)}`;
  if (init.requestId !== undefined) json += `,"requestId":${JSON.stringify(init.requestId)}`;
  return `${json}}`;
}

/**
 * A problem+json `Response`. Extra headers (for example `Retry-After`, `Allow`, `WWW-Authenticate`) are added as given.
 *
 * @example
 * return problemResponse({ status: 403, code: 'SENSITIVE_PATH', title: 'Forbidden' });
 */
export function problemResponse(init: ProblemInit, headers?: Record<string, string>): Response {
  const h = new Headers(headers);
  h.set('content-type', PROBLEM_CONTENT_TYPE);
  return new Response(problemJson(init), { status: init.status, headers: h });
}
