import type { Context, MiddlewareHandler } from 'hono';

/**
 * A guard split at the handler: `before` runs on the way in (a response answers the request and stops the way in),
 * `after` on the way out (only when `before` let the request through). Either side returns synchronously when it has
 * nothing to wait for, so the preset runs every guard in one layer without a promise, a closure and a `next` hop per
 * guard (see `composePhases`).
 */
export interface Phase {
  readonly before?: (c: Context) => Response | undefined | Promise<Response | undefined>;
  readonly after?: (c: Context) => void | Promise<void>;
}

/** A Hono middleware from a phase (how each guard is also offered on its own). */
export function phaseMiddleware(phase: Phase): MiddlewareHandler {
  const { before, after } = phase;
  return async function phased(c, next) {
    if (before !== undefined) {
      const result = before(c);
      const res = result instanceof Promise ? await result : result;
      if (res !== undefined) return res;
    }
    await next();
    if (after !== undefined) {
      const done = after(c);
      if (done instanceof Promise) await done;
    }
    return undefined;
  };
}
