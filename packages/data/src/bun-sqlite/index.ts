import { drizzle } from 'drizzle-orm/bun-sqlite';
import type { SqliteDatabase } from '../core/database.ts';
import { type SyncSqliteClient, sqliteDatabase, sqlitePragmas, syncSqliteRunner } from '../core/sqlite-database.ts';

/** Options of {@link fromBunSqlite}. */
export interface BunSqliteOptions {
  /** How long a writer waits for a lock, in ms. @default 5000 */
  readonly busyTimeoutMs?: number;
}

/**
 * Wraps a `bun:sqlite` `Database` opened by the Bun entry: WAL mode, a busy timeout, foreign keys.
 *
 * @example
 * import { Database as BunDb } from 'bun:sqlite';
 * const db = fromBunSqlite(new BunDb('./data/smarter.sqlite3', { create: true }));
 */
export function fromBunSqlite(client: SyncSqliteClient, options: BunSqliteOptions = {}): SqliteDatabase {
  client.exec(sqlitePragmas(options.busyTimeoutMs ?? 5000));
  return sqliteDatabase('bun-sqlite', drizzle({ client: client as never }), syncSqliteRunner(client), async () => {
    client.close();
  });
}
