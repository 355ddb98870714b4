import BetterSqlite3 from 'better-sqlite3';
import type { Database } from '../core/database.ts';
import { type SyncSqliteClient, syncSqliteDatabase } from '../core/sqlite-database.ts';

/** Options of {@link openBetterSqlite}. */
export interface BetterSqliteOptions {
  /** How long a writer waits for a lock, in ms. @default 5000 */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens an SQLite file with better-sqlite3 (Node), in WAL mode with a busy timeout.
 *
 * @example
 * const db = openBetterSqlite('./data/smarter.sqlite3');
 */
export function openBetterSqlite(path: string, options: BetterSqliteOptions = {}): Database {
  const client = new BetterSqlite3(path, { timeout: options.busyTimeoutMs ?? 5000 });
  client.pragma('journal_mode = WAL');
  client.pragma('synchronous = NORMAL');
  client.pragma('foreign_keys = ON');
  return syncSqliteDatabase(client as unknown as SyncSqliteClient, 'better-sqlite3');
}
