import type { Clock, CounterResult, Store } from '@smarter/security';
import { and, eq, isNotNull, lte, sql } from 'drizzle-orm';
import { wrapDriver } from '../core/data-error.ts';
import type { Database } from '../core/database.ts';
import { queries } from '../internal/orm.ts';

/** Options of {@link sqlStore}. */
export interface SqlStoreOptions {
  /** Clock for windows and expiry (inject a fake one in tests). @default Date.now */
  readonly now?: Clock;
  /** Prefix of every key, so several apps or test runs can share a database. @default '' */
  readonly prefix?: string;
}

/** The SQL {@link Store}, plus housekeeping. */
export interface SqlStore extends Store {
  /** Deletes expired rows; returns how many. Run it now and then (expired rows are already invisible). */
  purgeExpired(): Promise<number>;
}

/**
 * A {@link Store} over the `kv` table of any driver (SPEC §20). Every operation is one statement, so it is atomic
 * on SQLite, D1 and PostgreSQL alike: `increment` and `setIfAbsent` are upserts that decide expiry inside the
 * statement (`INSERT … ON CONFLICT DO UPDATE … RETURNING`). Rejects with a DataError when the database is down, so
 * guards fail closed.
 *
 * @example
 * const store = sqlStore(db);
 * const { count } = await store.increment('ban:203.0.113.7', 600_000);
 */
export function sqlStore(db: Database, options: SqlStoreOptions = {}): SqlStore {
  const { orm, t } = queries(db);
  const kv = t.kv;
  const now = options.now ?? Date.now;
  const prefix = options.prefix ?? '';
  const live = (at: number) => sql`(${kv.expiresAt} IS NULL OR ${kv.expiresAt} > ${at})`;
  const expiry = (at: number, ttlMs: number | undefined) => (ttlMs === undefined ? null : at + Math.max(0, ttlMs));
  return {
    increment: (key, windowMs) =>
      wrapDriver(async (): Promise<CounterResult> => {
        const at = now();
        const resetAt = at + Math.max(1, windowMs);
        const expired = sql`${kv.expiresAt} IS NOT NULL AND ${kv.expiresAt} <= ${at}`;
        const [row] = await orm
          .insert(kv)
          .values({ key: prefix + key, value: null, count: 1, expiresAt: resetAt })
          .onConflictDoUpdate({
            target: kv.key,
            set: {
              value: sql`NULL`,
              count: sql`CASE WHEN ${expired} THEN 1 ELSE ${kv.count} + 1 END`,
              expiresAt: sql`CASE WHEN ${expired} OR ${kv.expiresAt} IS NULL THEN ${resetAt} ELSE ${kv.expiresAt} END`,
            },
          })
          .returning({ count: kv.count, expiresAt: kv.expiresAt });
        return { count: Number(row?.count), resetAt: Number(row?.expiresAt ?? resetAt) };
      }),
    get: (key) =>
      wrapDriver(async () => {
        const [row] = await orm
          .select({ value: kv.value, count: kv.count })
          .from(kv)
          .where(and(eq(kv.key, prefix + key), live(now())))
          .limit(1);
        if (row === undefined) return undefined;
        return row.value ?? String(row.count);
      }),
    set: (key, value, ttlMs) =>
      wrapDriver(async () => {
        const expiresAt = expiry(now(), ttlMs);
        await orm
          .insert(kv)
          .values({ key: prefix + key, value, count: 0, expiresAt })
          .onConflictDoUpdate({ target: kv.key, set: { value, count: 0, expiresAt } });
      }),
    setIfAbsent: (key, value, ttlMs) =>
      wrapDriver(async () => {
        const at = now();
        const expiresAt = expiry(at, ttlMs);
        const written = await orm
          .insert(kv)
          .values({ key: prefix + key, value, count: 0, expiresAt })
          .onConflictDoUpdate({
            target: kv.key,
            set: { value, count: 0, expiresAt },
            setWhere: sql`${kv.expiresAt} IS NOT NULL AND ${kv.expiresAt} <= ${at}`,
          })
          .returning({ key: kv.key });
        return written.length > 0;
      }),
    delete: (key) =>
      wrapDriver(async () => {
        await orm.delete(kv).where(eq(kv.key, prefix + key));
      }),
    purgeExpired: () =>
      wrapDriver(async () => {
        const deleted = await orm
          .delete(kv)
          .where(and(isNotNull(kv.expiresAt), lte(kv.expiresAt, now())))
          .returning({ key: kv.key });
        return deleted.length;
      }),
  };
}
