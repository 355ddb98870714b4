import postgres from 'postgres';
import { wrapDriver } from '../core/data-error.ts';
import type { Database } from '../core/database.ts';

/** Options of {@link openPostgres}. */
export interface PostgresOptions {
  /** Pool size. @default 10 */
  readonly max?: number;
  /** Seconds an idle connection is kept. @default 30 */
  readonly idleTimeoutSeconds?: number;
  /** Seconds to wait for a connection. @default 5 */
  readonly connectTimeoutSeconds?: number;
}

/**
 * Connects to PostgreSQL with postgres.js (Node, Bun, Deno).
 *
 * @example
 * const db = openPostgres(process.env.SMARTER_DATABASE_URL);
 */
export function openPostgres(url: string, options: PostgresOptions = {}): Database {
  const client = postgres(url, {
    max: options.max ?? 10,
    idle_timeout: options.idleTimeoutSeconds ?? 30,
    connect_timeout: options.connectTimeoutSeconds ?? 5,
    onnotice: () => {},
  });
  const rows = (statement: string, params: readonly unknown[] = []) =>
    wrapDriver(async () => [...(await client.unsafe(statement, params as never[]))] as Record<string, unknown>[]);
  return {
    dialect: 'postgres',
    driver: 'postgres',
    sql: {
      exec: (statement) =>
        wrapDriver(async () => {
          await client.unsafe(statement);
        }),
      rows,
    },
    ping: async () => {
      await rows('SELECT 1 AS ok');
    },
    close: () => client.end({ timeout: 5 }),
  };
}
