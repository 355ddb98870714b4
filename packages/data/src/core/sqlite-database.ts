import { wrapDriver } from './data-error.ts';
import type { DriverName, SqliteDatabase, SqliteOrm, SqlRunner, SqlStatement } from './database.ts';

/** A prepared statement of a synchronous SQLite client. */
export interface SyncSqliteStatement {
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): unknown;
}

/** The synchronous statement API shared by better-sqlite3, bun:sqlite and node:sqlite. */
export interface SyncSqliteClient {
  exec(sql: string): unknown;
  prepare(sql: string): SyncSqliteStatement;
  close(): unknown;
}

/** The pragmas every file-backed SQLite connection gets: WAL, a busy timeout, foreign keys. */
export function sqlitePragmas(busyTimeoutMs: number): string {
  const timeout = Math.max(0, Math.trunc(busyTimeoutMs));
  return `PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = ${timeout}; PRAGMA foreign_keys = ON;`;
}

/** `$1, $2` → `?, ?` so one statement text serves SQLite and PostgreSQL. */
export function toQuestionMarks(statement: string): string {
  return statement.replace(/\$\d+/g, '?');
}

/**
 * Raw statements over a synchronous SQLite client. A statement list runs inside `BEGIN IMMEDIATE … COMMIT` in one
 * synchronous call, so nothing else on the connection can interleave with it.
 */
export function syncSqliteRunner(client: SyncSqliteClient): SqlRunner {
  return {
    exec: (statement) => wrapDriver(() => void client.exec(statement)),
    rows: (statement, params = []) =>
      wrapDriver(() => client.prepare(toQuestionMarks(statement)).all(...params) as Record<string, unknown>[]),
    batch: (statements: readonly SqlStatement[]) =>
      wrapDriver(() => {
        client.exec('BEGIN IMMEDIATE');
        try {
          for (const statement of statements) client.prepare(statement.sql).run(...statement.params);
          client.exec('COMMIT');
        } catch (error) {
          client.exec('ROLLBACK');
          throw error;
        }
      }),
  };
}

/** Assembles an SQLite-family {@link SqliteDatabase} from its parts. */
export function sqliteDatabase(
  driver: DriverName,
  orm: SqliteOrm,
  sql: SqlRunner,
  close: () => Promise<void>,
): SqliteDatabase {
  return {
    dialect: 'sqlite',
    driver,
    orm,
    sql,
    ping: async () => {
      await sql.rows('SELECT 1 AS ok');
    },
    close,
  };
}
