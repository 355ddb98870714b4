import type { Context } from 'hono';
import { problemFor } from '../internal/problem-response.ts';
import { requestIdOf } from '../internal/request.ts';

/** A problem+json answer carrying the request id (never an input echo). */
export function problem(
  c: Context,
  status: number,
  code: string,
  title: string,
  extra: { readonly reason?: string; readonly detail?: string; readonly headers?: Record<string, string> } = {},
): Response {
  return problemFor(
    c,
    { status, code, title, reason: extra.reason, detail: extra.detail, requestId: requestIdOf(c) },
    extra.headers,
  );
}
