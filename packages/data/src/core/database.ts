/** SQL dialect family of a driver. */
export type Dialect = 'sqlite' | 'postgres';

/** Minimal statement runner every driver provides; repositories build on Drizzle over the same connection. */
export interface SqlRunner {
  /** Runs statements that return nothing (DDL, writes). */
  exec(statement: string): Promise<void>;
  /** Runs a query and returns its rows as plain objects. */
  rows(statement: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
}

/** A connected database, whatever the driver. */
export interface Database {
  readonly dialect: Dialect;
  /** Driver name, for logs and the status route. */
  readonly driver: 'better-sqlite3' | 'bun-sqlite' | 'node-sqlite' | 'd1' | 'postgres';
  readonly sql: SqlRunner;
  /** Resolves when the database answers; rejects with a DataError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
