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

/**
 * A problem+json `Response`. Extra headers (for example `Retry-After`, `Allow`, `WWW-Authenticate`) are added as given.
 *
 * @example
 * return problemResponse({ status: 403, code: 'SENSITIVE_PATH', title: 'Forbidden' });
 */
export function problemResponse(init: ProblemInit, headers?: Record<string, string>): Response {
  const h = new Headers(headers);
  h.set('content-type', PROBLEM_CONTENT_TYPE);
  return new Response(JSON.stringify(problemBody(init)), { status: init.status, headers: h });
}
