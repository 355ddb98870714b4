import type { Database } from './database.ts';

const SCHEMA_VERSION = '1';

/** Creates the schema if needed. Idempotent: safe to run at every start, on every driver. */
export async function migrate(db: Database): Promise<void> {
  await db.sql.exec('CREATE TABLE IF NOT EXISTS smarter_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const existing = await db.sql.rows('SELECT value FROM smarter_meta WHERE key = $1', ['schema_version']);
  if (existing.length === 0) {
    await db.sql.rows('INSERT INTO smarter_meta (key, value) VALUES ($1, $2) RETURNING key', [
      'schema_version',
      SCHEMA_VERSION,
    ]);
  }
}

/** The schema version recorded in the database, or undefined before {@link migrate}. */
export async function schemaVersion(db: Database): Promise<string | undefined> {
  const rows = await db.sql.rows('SELECT value FROM smarter_meta WHERE key = $1', ['schema_version']);
  const value = rows[0]?.['value'];
  return typeof value === 'string' ? value : undefined;
}
