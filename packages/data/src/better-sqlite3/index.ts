import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { SqliteDatabase } from '../core/database.ts';
import { type SyncSqliteClient, sqliteDatabase, sqlitePragmas, syncSqliteRunner } from '../core/sqlite-database.ts';

/** Options of {@link openBetterSqlite}. */
export interface BetterSqliteOptions {
  /** How long a writer waits for a lock, in ms. @default 5000 */
  readonly busyTimeoutMs?: number;
  /**
   * Holds the file lock for the life of the connection (`locking_mode = EXCLUSIVE`): WAL then needs no shared-memory
   * locks, which makes each read several µs cheaper, but no other process (a CLI, a second server) can open the file
   * meanwhile. Only for a single-process deployment. @default false
   */
  readonly exclusive?: boolean;
}

/**
 * Opens an SQLite file with better-sqlite3 (Node): WAL mode, `synchronous = NORMAL`, a busy timeout, foreign keys.
 *
 * @example
 * const db = openBetterSqlite('./data/smarter.sqlite3');
 * await migrate(db);
 */
export function openBetterSqlite(path: string, options: BetterSqliteOptions = {}): SqliteDatabase {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const client = new BetterSqlite3(path, { timeout: busyTimeoutMs });
  if (options.exclusive === true) client.exec('PRAGMA locking_mode = EXCLUSIVE');
  client.exec(sqlitePragmas(busyTimeoutMs));
  return sqliteDatabase(
    'better-sqlite3',
    drizzle({ client }),
    syncSqliteRunner(client as unknown as SyncSqliteClient),
    async () => {
      client.close();
    },
  );
}
