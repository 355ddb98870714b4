import type { Context } from 'hono';
import type { WaitUntil } from '../journal/journal.ts';

/** The request id variable shared by every Smarter layer (same name as Hono's `requestId` middleware). */
export function requestIdOf(c: Context): string | undefined {
  return c.get('requestId' as never) as string | undefined;
}

/** The runtime's `waitUntil` (Workers, Deno Deploy), or undefined where there is none. */
export function waitUntilOf(c: Context): WaitUntil | undefined {
  try {
    const ctx = c.executionCtx;
    return (promise) => ctx.waitUntil(promise);
  } catch {
    return undefined;
  }
}

/** The path of the request without query, as given (guards that need the canonical form canonicalise it). */
export function pathOf(c: Context): string {
  return c.req.path;
}

/** Context key where a layer that built the response body records its length in bytes (or UTF-16 units). */
export const RESPONSE_BYTES = 'smarterResponseBytes';

/** The client key the identity layer resolved (canonical IP or /64), when it ran. */
export function clientKeyOf(c: Context): string | undefined {
  return c.get('clientKey' as never) as string | undefined;
}
