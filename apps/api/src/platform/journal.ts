import { canAdministerAccount, requireScopes } from '@smarter/auth';
import type { StoredJournalEvent } from '@smarter/data';
import { SmarterError } from '@smarter/security';
import { Hono } from 'hono';
import { journalQuerySchema } from '../openapi/schemas.ts';
import { validate } from '../openapi/validator.ts';
import type { AppEnv } from '../services.ts';
import { currentUser, forbiddenError, servicesOf } from './context.ts';

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
    // Every filter is a condition of one query, so a page is exact however many rows other filters would skip; the
    // one extra row says whether there is more.
    const rows = await store.list({
      afterSeq: q.cursor ? Number.parseInt(q.cursor, 36) || 0 : 0,
      limit: limit + 1,
      ...(q.type ? { type: q.type } : {}),
      ...(q.principal ? { principal: q.principal } : {}),
      ...(q.since ? { since: new Date(q.since).toISOString() } : {}),
      ...(q.until ? { until: new Date(q.until).toISOString() } : {}),
      ...(user.role === 'superuser' ? {} : { account: user.accountId }),
    });
    const events = rows.slice(0, limit);
    const more = rows.length > limit;
    c.header('cache-control', 'no-store');
    return c.json({ events: events.map(eventView), nextCursor: more ? (events.at(-1)?.seq ?? 0).toString(36) : null });
  });

  return app;
}
