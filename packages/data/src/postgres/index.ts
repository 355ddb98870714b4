import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { wrapDriver } from '../core/data-error.ts';
import type { PostgresDatabase } from '../core/database.ts';

/** Options of {@link openPostgres}. */
export interface PostgresOptions {
  /** Pool size. @default 10 */
  readonly max?: number;
  /** Seconds an idle connection is kept. @default 30 */
  readonly idleTimeoutSeconds?: number;
  /** Seconds to wait for a connection. @default 5 */
  readonly connectTimeoutSeconds?: number;
  /** Seconds a connection lives before it is replaced. @default 1800 */
  readonly maxLifetimeSeconds?: number;
  /** Named prepared statements; turn off behind a transaction-mode pooler (PgBouncer). @default true */
  readonly prepare?: boolean;
  /** The schema search path, e.g. one schema per tenant or per test run. @default the server's */
  readonly searchPath?: string;
}

/**
 * Connects to PostgreSQL with postgres.js (Node, Bun, Deno), with a bounded pool.
 *
 * @example
 * const db = openPostgres(process.env.SMARTER_DATABASE_URL, { max: 10 });
 * await migrate(db);
 */
export function openPostgres(url: string, options: PostgresOptions = {}): PostgresDatabase {
  const client = postgres(url, {
    max: options.max ?? 10,
    idle_timeout: options.idleTimeoutSeconds ?? 30,
    connect_timeout: options.connectTimeoutSeconds ?? 5,
    max_lifetime: options.maxLifetimeSeconds ?? 1800,
    prepare: options.prepare ?? true,
    onnotice: () => {},
    ...(options.searchPath === undefined ? {} : { connection: { search_path: options.searchPath } }),
  });
  const rows = (statement: string, params: readonly unknown[] = []) =>
    wrapDriver(async () => [...(await client.unsafe(statement, params as never[]))] as Record<string, unknown>[]);
  return {
    dialect: 'postgres',
    driver: 'postgres',
    orm: drizzle({ client }),
    sql: {
      exec: (statement) =>
        wrapDriver(async () => {
          await client.unsafe(statement);
        }),
      rows,
      batch: (statements) =>
        wrapDriver(async () => {
          if (statements.length === 0) return;
          await client.begin(async (tx) => {
            for (const statement of statements) await tx.unsafe(statement.sql, statement.params as never[]);
          });
        }),
    },
    ping: async () => {
      await rows('SELECT 1 AS ok');
    },
    close: () => client.end({ timeout: 5 }),
  };
}
