import type { Database } from '../core/database.ts';
import { type SyncSqliteClient, syncSqliteDatabase } from '../core/sqlite-database.ts';

/**
 * Wraps a `node:sqlite` `DatabaseSync` (Deno, Bun, Node 22+), opened by the entry file.
 *
 * @example
 * import { DatabaseSync } from 'node:sqlite';
 * const db = fromNodeSqlite(new DatabaseSync('./data/smarter.sqlite3'));
 */
export function fromNodeSqlite(client: SyncSqliteClient): Database {
  client.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
  return syncSqliteDatabase(client, 'node-sqlite');
}
