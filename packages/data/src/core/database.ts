import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';

/** SQL dialect family of a driver. */
export type Dialect = 'sqlite' | 'postgres';

/** The driver behind a {@link Database}, for logs and the status route. */
export type DriverName = 'better-sqlite3' | 'bun-sqlite' | 'node-sqlite' | 'd1' | 'postgres';

/** One statement with its bound parameters, in the dialect's own placeholder style (`?` or `$1`). */
export interface SqlStatement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** Raw statements over the driver's connection; used by migrations and statement lists. */
export interface SqlRunner {
  /** Runs one statement that returns nothing (DDL). */
  exec(statement: string): Promise<void>;
  /** Runs a query and returns its rows as plain objects. `$1, $2` placeholders work on every dialect. */
  rows(statement: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /**
   * Runs a statement list atomically and in order: a transaction on SQLite and PostgreSQL, `batch()` on D1.
   * This is how shared code writes several rows at once; it never holds an interactive transaction.
   */
  batch(statements: readonly SqlStatement[]): Promise<void>;
}

/** Drizzle over an SQLite-family driver (better-sqlite3 and bun:sqlite are sync, node:sqlite and D1 async). */
export type SqliteOrm = BaseSQLiteDatabase<'sync', unknown> | BaseSQLiteDatabase<'async', unknown>;

/** Drizzle over postgres.js. */
export type PostgresOrm = PgDatabase<PgQueryResultHKT>;

interface DatabaseBase {
  readonly driver: DriverName;
  readonly sql: SqlRunner;
  /** Resolves when the database answers; rejects with a DataError otherwise. */
  ping(): Promise<void>;
  /** Closes the connection (a no-op on D1). */
  close(): Promise<void>;
}

/** A connected SQLite-family database (better-sqlite3, bun:sqlite, node:sqlite, D1). */
export interface SqliteDatabase extends DatabaseBase {
  readonly dialect: 'sqlite';
  /** Drizzle over the same connection, for the schema in `@smarter/data` (`sqliteSchema`). */
  readonly orm: SqliteOrm;
}

/** A connected PostgreSQL database. */
export interface PostgresDatabase extends DatabaseBase {
  readonly dialect: 'postgres';
  /** Drizzle over the same pool, for the schema in `@smarter/data` (`pgSchema`). */
  readonly orm: PostgresOrm;
}

/**
 * A connected database, whatever the driver: the `Db` port every repository is a function of. Repositories always
 * `await` (sync and async drivers alike) and never hold an interactive transaction.
 */
export type Database = SqliteDatabase | PostgresDatabase;

/** The `Db` port of DESIGN §6: the same thing as {@link Database}. */
export type Db = Database;
