import type { MiddlewareHandler } from 'hono';
import { addResponseHeader } from '../internal/response-headers.ts';

/** Variables set by {@link requestId}. */
export interface RequestIdVariables {
  /** This request's id: in every journal event, problem body and the `X-Request-Id` response header. */
  requestId: string;
}

/**
 * Gives each request a fresh random id for journal correlation and answers it in `X-Request-Id`. Incoming ids are
 * ignored: a client-chosen id could forge correlation in the audit log.
 *
 * @example
 * app.use(requestId());
 */
export function requestId(): MiddlewareHandler<{ Variables: RequestIdVariables }> {
  return async function requestId(c, next) {
    const id = crypto.randomUUID();
    c.set('requestId', id);
    addResponseHeader(c, 'x-request-id', id);
    await next();
  };
}
