import { drizzle } from 'drizzle-orm/sqlite-proxy';
import type { SqliteDatabase } from '../core/database.ts';
import { type SyncSqliteStatement, sqliteDatabase, sqlitePragmas, syncSqliteRunner } from '../core/sqlite-database.ts';

/** A `node:sqlite` prepared statement (`StatementSync`). */
export interface NodeSqliteStatement extends SyncSqliteStatement {
  get(...params: unknown[]): unknown;
  setReturnArrays(enabled: boolean): void;
}

/** The part of `node:sqlite`'s `DatabaseSync` used here. */
export interface NodeSqliteClient {
  exec(sql: string): unknown;
  prepare(sql: string): NodeSqliteStatement;
  close(): unknown;
}

/** Options of {@link fromNodeSqlite}. */
export interface NodeSqliteOptions {
  /** How long a writer waits for a lock, in ms. @default 5000 */
  readonly busyTimeoutMs?: number;
  /** Prepared statements kept per connection. @default 200 */
  readonly statementCacheSize?: number;
}

/**
 * Wraps a `node:sqlite` `DatabaseSync` (Deno, Bun, Node 22.16+) opened by the entry file, through Drizzle's
 * SQLite proxy driver: WAL mode, a busy timeout, foreign keys.
 *
 * @example
 * import { DatabaseSync } from 'node:sqlite';
 * const db = fromNodeSqlite(new DatabaseSync('./data/smarter.sqlite3'));
 */
export function fromNodeSqlite(client: NodeSqliteClient, options: NodeSqliteOptions = {}): SqliteDatabase {
  client.exec(sqlitePragmas(options.busyTimeoutMs ?? 5000));
  const cacheSize = options.statementCacheSize ?? 200;
  const cache = new Map<string, NodeSqliteStatement>();
  const prepared = (sql: string): NodeSqliteStatement => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = client.prepare(sql);
      statement.setReturnArrays(true);
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
      cache.set(sql, statement);
    }
    return statement;
  };
  const orm = drizzle(async (sql, params, method) => {
    const statement = prepared(sql);
    if (method === 'run') {
      statement.run(...params);
      return { rows: [] };
    }
    // Drizzle's proxy expects one row (or undefined) for `get`.
    if (method === 'get') return { rows: statement.get(...params) as unknown[] };
    return { rows: statement.all(...params) as unknown[][] };
  });
  return sqliteDatabase('node-sqlite', orm, syncSqliteRunner(client), async () => {
    cache.clear();
    client.close();
  });
}
