import type { SessionRepository } from '@smarter/auth';
import { and, eq, lte, ne } from 'drizzle-orm';
import { wrapDriver } from '../core/data-error.ts';
import type { Database } from '../core/database.ts';
import { first, queries } from '../internal/orm.ts';

/** Server-side sessions over a {@link Database}, keyed by the hash of the opaque id. */
export function sessionRepository(db: Database): SessionRepository {
  const { orm, t } = queries(db);
  return {
    create: (record) =>
      wrapDriver(async () => {
        await orm.insert(t.sessions).values(record);
      }),
    get: (idHash) =>
      wrapDriver(async () => first(await orm.select().from(t.sessions).where(eq(t.sessions.idHash, idHash)).limit(1))),
    touch: (idHash, lastSeenAt) =>
      wrapDriver(async () => {
        await orm.update(t.sessions).set({ lastSeenAt }).where(eq(t.sessions.idHash, idHash));
      }),
    delete: (idHash) =>
      wrapDriver(async () => {
        await orm.delete(t.sessions).where(eq(t.sessions.idHash, idHash));
      }),
    deleteByUser: (userId, exceptIdHash) =>
      wrapDriver(async () => {
        const where =
          exceptIdHash === undefined
            ? eq(t.sessions.userId, userId)
            : and(eq(t.sessions.userId, userId), ne(t.sessions.idHash, exceptIdHash));
        const deleted = await orm.delete(t.sessions).where(where).returning({ idHash: t.sessions.idHash });
        return deleted.length;
      }),
  };
}

/** Deletes sessions whose absolute expiry is at or before `now`; returns how many. Run it now and then. */
export async function deleteExpiredSessions(db: Database, now: number): Promise<number> {
  const { orm, t } = queries(db);
  return wrapDriver(async () => {
    const deleted = await orm
      .delete(t.sessions)
      .where(lte(t.sessions.expiresAt, now))
      .returning({ idHash: t.sessions.idHash });
    return deleted.length;
  });
}
