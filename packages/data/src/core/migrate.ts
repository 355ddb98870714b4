import { SmarterError } from '@smarter/security';
import { pgMigrations, sqliteMigrations } from '../migrations/embedded.gen.ts';
import type { EmbeddedMigration } from '../migrations/embedded.ts';
import { DataError } from './data-error.ts';
import type { Database } from './database.ts';

const LEDGER = 'smarter_migrations';
/** Key of the PostgreSQL advisory lock migrators queue on. */
const ADVISORY_LOCK = 7_461_001;

/** The embedded migrations for a database's dialect, in order. */
export function migrationsFor(db: Database): readonly EmbeddedMigration[] {
  return db.dialect === 'postgres' ? pgMigrations : sqliteMigrations;
}

async function applied(db: Database): Promise<Map<string, string>> {
  const rows = await db.sql.rows(`SELECT tag, hash FROM ${LEDGER}`);
  return new Map(rows.map((row) => [String(row['tag']), String(row['hash'])]));
}

/**
 * Applies the embedded drizzle-kit migrations that the database does not have yet. Each migration runs as one
 * statement list together with its ledger row (a transaction, or `batch()` on D1), so it is applied entirely or not
 * at all. Idempotent and safe at every start, from several instances at once: a migration another instance applied
 * first is skipped. Rejects when an applied migration was edited afterwards.
 *
 * @example
 * const db = openBetterSqlite('./data/smarter.sqlite3');
 * await migrate(db);
 */
export async function migrate(db: Database, now: () => number = Date.now): Promise<void> {
  // PostgreSQL: concurrent CREATE … IF NOT EXISTS can still collide, so migrators queue on an advisory lock held for
  // each statement list's transaction. SQLite and D1 serialize writers anyway.
  const lock = db.dialect === 'postgres' ? [{ sql: `SELECT pg_advisory_xact_lock(${ADVISORY_LOCK})`, params: [] }] : [];
  await db.sql.batch([
    ...lock,
    {
      sql: `CREATE TABLE IF NOT EXISTS ${LEDGER} (tag TEXT PRIMARY KEY, hash TEXT NOT NULL, applied_at BIGINT NOT NULL)`,
      params: [],
    },
  ]);
  let done = await applied(db);
  const insert =
    db.dialect === 'postgres' ? `INSERT INTO ${LEDGER} VALUES ($1, $2, $3)` : `INSERT INTO ${LEDGER} VALUES (?, ?, ?)`;
  for (const migration of migrationsFor(db)) {
    const known = done.get(migration.tag);
    if (known !== undefined) {
      if (known !== migration.hash) {
        throw new SmarterError('MIGRATION_MODIFIED', 'An applied migration was modified', { status: 500 });
      }
      continue;
    }
    try {
      await db.sql.batch([
        ...lock,
        ...migration.statements.map((sql) => ({ sql, params: [] })),
        { sql: insert, params: [migration.tag, migration.hash, now()] },
      ]);
    } catch (error) {
      // Another instance may have applied it between our read and our write.
      done = await applied(db);
      if (done.get(migration.tag) !== migration.hash)
        throw error instanceof DataError ? error : new DataError('DATA_FAILED');
    }
  }
}

/** How many migrations the database has applied, as a string (`'1'` after the first), or undefined before {@link migrate}. */
export async function schemaVersion(db: Database): Promise<string | undefined> {
  const exists =
    db.dialect === 'postgres'
      ? await db.sql.rows(`SELECT to_regclass('${LEDGER}') IS NOT NULL AS present`)
      : await db.sql.rows(
          `SELECT count(*) > 0 AS present FROM sqlite_master WHERE type = 'table' AND name = '${LEDGER}'`,
        );
  const present = exists[0]?.['present'];
  if (present !== true && present !== 1) return undefined;
  const rows = await db.sql.rows(`SELECT count(*) AS n FROM ${LEDGER}`);
  return String(Number(rows[0]?.['n'] ?? 0));
}
