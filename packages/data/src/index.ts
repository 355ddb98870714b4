export { DataError, wrapDriver } from './core/data-error.ts';
export type { Database, Dialect, SqlRunner } from './core/database.ts';
export { migrate, schemaVersion } from './core/migrate.ts';
