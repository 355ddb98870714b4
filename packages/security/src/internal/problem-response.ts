import type { Context } from 'hono';
import { PROBLEM_CONTENT_TYPE, type ProblemInit, problemJson, problemResponse } from '../errors/problem.ts';
import { headerState } from './response-headers.ts';

/**
 * The problem+json answer of a guard or error handler for this request: built with every secure header at once when
 * the secure-headers layer runs outermost (one plain object, no `Headers` calls afterwards), else a plain
 * {@link problemResponse} that the layers around it decorate.
 */
export function problemFor(c: Context, init: ProblemInit, headers?: Record<string, string>): Response {
  const body = problemJson(init);
  return headerState(c)?.respond(c, body, init.status, PROBLEM_CONTENT_TYPE, headers) ?? problemResponse(init, headers);
}
