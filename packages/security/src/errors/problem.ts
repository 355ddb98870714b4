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

/** Serialised heads (`{"type":…,"title":…,"status":…,"code":…`) by status, code and title; these come from code. */
const heads = new Map<string, string>();
const MAX_HEADS = 512;

/**
 * `JSON.stringify(problemBody(init))`, with the part that depends only on status, code and title serialised once
 * per distinct triple (rejections under a flood repeat the same few), the optional fields appended in the same
 * order.
 */
export function problemJson(init: ProblemInit): string {
  const key = `${init.status}\u0000${init.code}\u0000${init.title}`;
  let head = heads.get(key);
  if (head === undefined) {
    const { type, title, status, code } = problemBody({ status: init.status, code: init.code, title: init.title });
    head = JSON.stringify({ type, title, status, code }).slice(0, -1);
    if (heads.size < MAX_HEADS) heads.set(key, head);
  }
  let json = head;
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
