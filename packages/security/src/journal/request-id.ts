import type { MiddlewareHandler } from 'hono';
import { requestIdGenerator } from '../internal/request-ids.ts';
import { addResponseHeader } from '../internal/response-headers.ts';

/** Variables set by {@link requestId}. */
export interface RequestIdVariables {
  /** This request's id: in every journal event, problem body and the `X-Request-Id` response header. */
  requestId: string;
}

/**
 * Gives each request a fresh, unique id (random per-process prefix and a counter, UUID-shaped) for journal correlation and answers it in `X-Request-Id`. Incoming ids are
 * ignored: a client-chosen id could forge correlation in the audit log.
 *
 * @example
 * app.use(requestId());
 */
export function requestId(): MiddlewareHandler<{ Variables: RequestIdVariables }> {
  const nextRequestId = requestIdGenerator();
  return async function requestId(c, next) {
    const id = nextRequestId();
    c.set('requestId', id);
    addResponseHeader(c, 'x-request-id', id);
    await next();
  };
}
