import { wrapDriver } from './data-error.ts';
import type { Database } from './database.ts';

/** The synchronous statement API shared by better-sqlite3, bun:sqlite and node:sqlite. */
export interface SyncSqliteClient {
  exec(sql: string): unknown;
  prepare(sql: string): { all(...params: unknown[]): unknown[] };
  close(): unknown;
}

/** Wraps a synchronous SQLite client as a {@link Database}. `$1` placeholders become `?`. */
export function syncSqliteDatabase(client: SyncSqliteClient, driver: Database['driver']): Database {
  const rows = (statement: string, params: readonly unknown[] = []) =>
    wrapDriver(() => client.prepare(toQuestionMarks(statement)).all(...params) as Record<string, unknown>[]);
  return {
    dialect: 'sqlite',
    driver,
    sql: {
      exec: (statement) => wrapDriver(() => void client.exec(statement)),
      rows,
    },
    ping: async () => {
      await rows('SELECT 1 AS ok');
    },
    close: async () => {
      client.close();
    },
  };
}

/** `$1, $2` → `?, ?` so one statement text serves SQLite and PostgreSQL. */
export function toQuestionMarks(statement: string): string {
  return statement.replace(/\$\d+/g, '?');
}
