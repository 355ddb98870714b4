import type { Context } from 'hono';
import { PROBLEM_CONTENT_TYPE, problemBody, problemResponse } from '../errors/problem.ts';
import { requestIdOf } from '../internal/request.ts';
import { headerState } from '../internal/response-headers.ts';

/** A problem+json answer carrying the request id (never an input echo). */
export function problem(
  c: Context,
  status: number,
  code: string,
  title: string,
  extra: { readonly reason?: string; readonly detail?: string; readonly headers?: Record<string, string> } = {},
): Response {
  const init = { status, code, title, reason: extra.reason, detail: extra.detail, requestId: requestIdOf(c) };
  return (
    headerState(c)?.respond(c, JSON.stringify(problemBody(init)), status, PROBLEM_CONTENT_TYPE, extra.headers) ??
    problemResponse(init, extra.headers)
  );
}
