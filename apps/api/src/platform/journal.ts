import { canAdministerAccount, requireScopes } from '@smarter/auth';
import type { StoredJournalEvent } from '@smarter/data';
import { SmarterError } from '@smarter/security';
import { Hono } from 'hono';
import { journalQuerySchema } from '../openapi/schemas.ts';
import { validate } from '../openapi/validator.ts';
import type { AppEnv } from '../services.ts';
import { currentUser, forbiddenError, servicesOf } from './context.ts';

const SCAN_BATCH = 500;
const MAX_SCANNED = 20_000;

function eventView(e: StoredJournalEvent): Record<string, unknown> {
  const view: Record<string, unknown> = { id: e.id, time: e.time, type: e.type, severity: e.severity };
  for (const key of ['requestId', 'clientKey', 'principal', 'account', 'agent', 'method', 'path', 'reason'] as const) {
    const value = e[key];
    if (typeof value === 'string') view[key] = value;
  }
  if (typeof e.status === 'number') view['status'] = e.status;
  if (e.details) {
    try {
      view['details'] = JSON.parse(e.details);
    } catch {
      // A row whose details are not JSON is shown without them.
    }
  }
  return view;
}

/**
 * `GET /journal` (admins): filters `type`, `since`, `until`, `principal`; `limit` (default 100) and an opaque
 * `cursor` (the last sequence number seen). Admins of an account see its events; superusers see all.
 */
export function journalRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/journal', requireScopes('journal:read'), validate('query', journalQuerySchema), async function journal(c) {
    const user = await currentUser(c);
    if (!canAdministerAccount(user, user.accountId)) throw forbiddenError();
    const store = servicesOf(c).journalStore;
    if (!store)
      throw new SmarterError('JOURNAL_UNAVAILABLE', 'The journal is not kept in the database', { status: 404 });
    const q = c.req.valid('query');
    const limit = q.limit ? Number(q.limit) : 100;
    const since = q.since ? Date.parse(q.since) : undefined;
    const until = q.until ? Date.parse(q.until) : undefined;
    const superuser = user.role === 'superuser';
    let after = q.cursor ? Number.parseInt(q.cursor, 36) || 0 : 0;
    const events: StoredJournalEvent[] = [];
    let scanned = 0;
    let more = false;
    // An admin's rows are selected by the database; the scan cap then only bounds the time filters' work, and when
    // it is reached the cursor lets the caller go on from there.
    const filter = { ...(q.type ? { type: q.type } : {}), ...(superuser ? {} : { account: user.accountId }) };
    while (events.length < limit && scanned < MAX_SCANNED) {
      const rows = await store.list({ afterSeq: after, limit: SCAN_BATCH, ...filter });
      if (rows.length === 0) break;
      for (const row of rows) {
        after = row.seq;
        scanned++;
        const time = Date.parse(row.time);
        if (since !== undefined && time < since) continue;
        if (until !== undefined && time > until) continue;
        if (q.principal && row.principal !== q.principal) continue;
        if (!superuser && row.account !== user.accountId) continue;
        events.push(row);
        if (events.length === limit) break;
      }
      if (rows.length < SCAN_BATCH && events.length < limit) break;
      more = events.length === limit || scanned >= MAX_SCANNED;
    }
    c.header('cache-control', 'no-store');
    return c.json({ events: events.map(eventView), nextCursor: more ? after.toString(36) : null });
  });

  return app;
}
