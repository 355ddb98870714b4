import { wrapDriver } from '../core/data-error.ts';
import type { Database } from '../core/database.ts';
import { toQuestionMarks } from '../core/sqlite-database.ts';

/** The part of Cloudflare's `D1Database` binding used here. */
export interface D1Like {
  exec(sql: string): Promise<unknown>;
  prepare(sql: string): { bind(...values: unknown[]): { all(): Promise<{ results: unknown[] }> } };
}

/**
 * Wraps a D1 binding (Workers).
 *
 * @example
 * export default { fetch: (req, env) => createApp({ db: fromD1(env.DB) }).fetch(req, env) };
 */
export function fromD1(binding: D1Like): Database {
  const rows = (statement: string, params: readonly unknown[] = []) =>
    wrapDriver(async () => {
      const result = await binding
        .prepare(toQuestionMarks(statement))
        .bind(...params)
        .all();
      return result.results as Record<string, unknown>[];
    });
  return {
    dialect: 'sqlite',
    driver: 'd1',
    sql: {
      // D1's exec splits on newlines; run single statements through prepare for predictability.
      exec: (statement) =>
        wrapDriver(async () => {
          await binding.prepare(statement).bind().all();
        }),
      rows,
    },
    ping: async () => {
      await rows('SELECT 1 AS ok');
    },
    close: async () => {},
  };
}
