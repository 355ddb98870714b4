import { type Column, getTableColumns, is, Table } from 'drizzle-orm';
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

/** One part of a select shape: a whole table (a nested object) or one column, in the order they were selected. */
export type SelectPart = readonly [name: string, source: Table | Column, nullable: boolean];

/**
 * Decodes positional rows (`prepared.values()` on SQLite) into the objects Drizzle's own `execute()` would return
 * for `select({ a: tableA, b: column, c: tableC })`, with each column's own driver mapping, but without the generic
 * per-cell work of Drizzle's mapper (measured ~3 µs on a two-join row, the hot path of a cold API-key check). A
 * table part marked nullable (left-joined) becomes null when every one of its columns is null, as in Drizzle.
 */
export function rowDecoder(parts: readonly SelectPart[]): (row: readonly unknown[]) => Record<string, unknown> {
  const plan = parts.map(([name, source, nullable]) => ({
    name,
    nullable,
    columns: is(source, Table) ? Object.entries(getTableColumns(source)) : undefined,
    column: is(source, Table) ? undefined : (source as Column),
  }));
  return (row) => {
    const out: Record<string, unknown> = {};
    let i = 0;
    for (const part of plan) {
      if (part.column !== undefined) {
        const value = row[i++];
        out[part.name] = value === null ? null : part.column.mapFromDriverValue(value);
        continue;
      }
      const nested: Record<string, unknown> = {};
      let allNull = true;
      for (const [name, column] of part.columns as [string, Column][]) {
        const value = row[i++];
        if (value === null) nested[name] = null;
        else {
          allNull = false;
          nested[name] = column.mapFromDriverValue(value);
        }
      }
      out[part.name] = part.nullable && allNull ? null : nested;
    }
    return out;
  };
}
