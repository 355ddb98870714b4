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

/**
 * Runs gates in order as one gate; the first response wins. Synchronous until a gate returns a promise, so the
 * common request (every gate has nothing to do) costs no promise at all.
 */
export function chainGates(gates: readonly Gate[]): Gate {
  const list = [...gates];
  const rest = async (c: Context, from: number, pending: Promise<Response | undefined>) => {
    const first = await pending;
    if (first) return first;
    for (let i = from; i < list.length; i++) {
      const result = (list[i] as Gate)(c);
      const res = result instanceof Promise ? await result : result;
      if (res) return res;
    }
    return undefined;
  };
  return function gates(c) {
    for (let i = 0; i < list.length; i++) {
      const result = (list[i] as Gate)(c);
      if (result instanceof Promise) return rest(c, i + 1, result);
      if (result) return result;
    }
    return undefined;
  };
}
