import type { WaitUntil } from '@smarter/security';
import type { Context } from 'hono';

/** `waitUntil` of the platform when there is one (Workers), else undefined (promises just run). */
export function waitUntilOf(c: Context): WaitUntil | undefined {
  try {
    const ctx = c.executionCtx;
    return (promise) => ctx.waitUntil(promise);
  } catch {
    return undefined;
  }
}

/** The request id set by the request-id middleware, when present. */
export function requestIdOf(c: Context): string | undefined {
  const value = (c.var as Record<string, unknown>)['requestId'];
  return typeof value === 'string' ? value : undefined;
}
