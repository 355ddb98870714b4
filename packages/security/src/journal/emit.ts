import type { Context } from 'hono';
import { requestIdOf, waitUntilOf } from '../internal/request.ts';
import type { JournalEventInput } from './events.ts';
import type { Journal } from './journal.ts';

/**
 * Emits an event for the current request: fills in request id, method and path unless given, and hands async sink
 * writes to the runtime's `waitUntil` so the response never waits for the journal.
 *
 * @example
 * emitFor(c, journal, { type: 'auth.failed', severity: 'notice', reason: 'BAD_KEY' });
 */
export function emitFor(c: Context, journal: Journal, input: JournalEventInput): void {
  journal.emit({ requestId: requestIdOf(c), method: c.req.method, path: c.req.path, ...input }, waitUntilOf(c));
}
