// Runs the data contract on Bun: bun:sqlite on the file given, or postgres.js when given a postgres:// URL.
// Spawned by src/runtimes.test.ts, which reads the CONTRACT_RESULTS line.
import { Database } from 'bun:sqlite';
import { fromBunSqlite } from '../../src/bun-sqlite/index.ts';
import type { SyncSqliteClient } from '../../src/core/sqlite-database.ts';
import { runDataContract } from '../../src/testing/contract.ts';
import { freshPostgres } from './postgres-schema.ts';

const target = process.argv[2] ?? ':memory:';
const { db, drop } = target.startsWith('postgres')
  ? await freshPostgres(target)
  : (() => {
      const sqlite = fromBunSqlite(new Database(target, { create: true }) as unknown as SyncSqliteClient);
      return { db: sqlite, drop: () => sqlite.close() };
    })();
const results = await runDataContract(db);
await drop();
console.log(`CONTRACT_RESULTS ${JSON.stringify({ driver: db.driver, results })}`);
