import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { Database } from '../core/database.ts';
import * as pgSchema from '../schema/pg.ts';
import * as sqliteSchema from '../schema/sqlite.ts';

/**
 * The dialect-neutral query surface the repositories are written against. Both schemas have the same row shapes (a
 * type test proves it) and the repositories only use builder calls that exist with the same meaning in sqlite-core
 * and pg-core (select, insert/update/delete with `returning`, `onConflictDo*` with `setWhere`, `prepare`), always
 * awaited, never `.get()/.run()/.all()` (SQLite-only). So one typing serves both; this module is the only cast.
 */
export type Orm = BaseSQLiteDatabase<'async', unknown>;

/** The tables, typed as the SQLite schema (identical row shapes in PostgreSQL). */
export type Tables = typeof sqliteSchema;

/** A database's Drizzle instance and its dialect's tables. */
export interface Queries {
  readonly orm: Orm;
  readonly t: Tables;
}

/** The neutral Drizzle view of a {@link Database}. */
export function queries(db: Database): Queries {
  return {
    orm: db.orm as unknown as Orm,
    t: (db.dialect === 'postgres' ? pgSchema : sqliteSchema) as unknown as Tables,
  };
}

/** A new random id (UUID v4). */
export function newId(): string {
  return crypto.randomUUID();
}

/** The first row or undefined. */
export function first<T>(rows: readonly T[]): T | undefined {
  return rows[0];
}

/** Drops `undefined` entries so a patch only sets what it names. */
export function defined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Prepares a query on first use (better-sqlite3 compiles at prepare time, before migrations may have run), then
 * reuses it. PostgreSQL needs a statement name, SQLite's `prepare()` takes none (and ignores one), so the name is
 * passed past the SQLite typing here.
 */
export function prepareNamed<Q extends { prepare(): unknown }>(
  query: () => Q,
  name: string,
): () => ReturnType<Q['prepare']> {
  let prepared: ReturnType<Q['prepare']> | undefined;
  return () => {
    prepared ??= (query() as unknown as { prepare(name: string): ReturnType<Q['prepare']> }).prepare(name);
    return prepared;
  };
}
