import { drizzle } from 'drizzle-orm/d1';
import { wrapDriver } from '../core/data-error.ts';
import type { SqliteDatabase, SqlStatement } from '../core/database.ts';
import { sqliteDatabase, toQuestionMarks } from '../core/sqlite-database.ts';

/** A bound D1 statement. */
export interface D1StatementLike {
  bind(...values: unknown[]): D1StatementLike;
  all(): Promise<{ results: unknown[] }>;
  run(): Promise<unknown>;
}

/** The part of Cloudflare's `D1Database` binding used here. */
export interface D1Like {
  prepare(sql: string): D1StatementLike;
  batch(statements: D1StatementLike[]): Promise<unknown[]>;
}

/**
 * Wraps a D1 binding (Workers). D1 has no interactive transactions: statement lists go through `batch()`, which
 * D1 runs atomically.
 *
 * @example
 * export default { fetch: (req, env) => createApp({ db: fromD1(env.DB) }).fetch(req, env) };
 */
export function fromD1(binding: D1Like): SqliteDatabase {
  const bound = (statement: SqlStatement) => binding.prepare(statement.sql).bind(...statement.params);
  return sqliteDatabase(
    'd1',
    drizzle(binding as never),
    {
      // D1's exec splits on newlines; one prepared statement is predictable.
      exec: (statement) =>
        wrapDriver(async () => {
          await binding.prepare(statement).run();
        }),
      rows: (statement, params = []) =>
        wrapDriver(async () => {
          const result = await bound({ sql: toQuestionMarks(statement), params }).all();
          return result.results as Record<string, unknown>[];
        }),
      batch: (statements) =>
        wrapDriver(async () => {
          if (statements.length > 0) await binding.batch(statements.map(bound));
        }),
    },
    async () => {},
  );
}
