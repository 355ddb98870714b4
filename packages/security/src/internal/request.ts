import type { Context } from 'hono';
import type { WaitUntil } from '../journal/journal.ts';

/** The request id variable shared by every Smarter layer (same name as Hono's `requestId` middleware). */
export function requestIdOf(c: Context): string | undefined {
  return c.get('requestId' as never) as string | undefined;
}

/**
 * Hands a promise to the runtime's `waitUntil` (Workers, Deno Deploy) so it outlives the response; where the request
 * has none (Node, Bun, Deno serve), the promise just runs. The execution context is looked up only when a promise is
 * handed over: Hono throws, with a stack trace, when a request has none, and doing that up front cost every
 * request on Node microseconds.
 */
export function waitUntilOf(c: Context): WaitUntil {
  return function waitUntil(promise) {
    let ctx: { waitUntil(promise: Promise<unknown>): void };
    try {
      ctx = c.executionCtx;
    } catch {
      return;
    }
    ctx.waitUntil(promise);
  };
}

/** The path of the request without query, as given (guards that need the canonical form canonicalise it). */
export function pathOf(c: Context): string {
  return c.req.path;
}

/** The client key the identity layer resolved (canonical IP or /64), when it ran. */
export function clientKeyOf(c: Context): string | undefined {
  return c.get('clientKey' as never) as string | undefined;
}
