import type { Context, MiddlewareHandler } from 'hono';

/**
 * A check that runs before the handler and needs nothing after it: undefined lets the request through, a response
 * answers it. The common case (nothing to do) returns synchronously, so several gates run in one layer without a
 * promise each.
 */
export type Gate = (c: Context) => Response | undefined | Promise<Response | undefined>;

/** A Hono middleware from a gate. */
export function gateMiddleware(gate: Gate): MiddlewareHandler {
  return async function gated(c, next) {
    const result = gate(c);
    const res = result instanceof Promise ? await result : result;
    if (res) return res;
    await next();
    return undefined;
  };
}

/** Runs gates in order as one layer; the first response wins. */
export function gatesMiddleware(gates: readonly Gate[]): MiddlewareHandler {
  const list = [...gates];
  return async function gates(c, next) {
    for (const gate of list) {
      const result = gate(c);
      const res = result instanceof Promise ? await result : result;
      if (res) return res;
    }
    await next();
    return undefined;
  };
}
