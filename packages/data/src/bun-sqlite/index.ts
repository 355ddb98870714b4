import type { Database } from '../core/database.ts';
import { type SyncSqliteClient, syncSqliteDatabase } from '../core/sqlite-database.ts';

/**
 * Wraps a `bun:sqlite` `Database` (opened by the Bun entry, so this module never imports a Bun-only module).
 *
 * @example
 * import { Database as BunDb } from 'bun:sqlite';
 * const db = fromBunSqlite(new BunDb('./data/smarter.sqlite3'));
 */
export function fromBunSqlite(client: SyncSqliteClient): Database {
  client.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
  return syncSqliteDatabase(client, 'bun-sqlite');
}
