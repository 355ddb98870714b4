// Runs the data contract on Bun with bun:sqlite; spawned by src/runtimes.test.ts, which reads the last line.
import { Database } from 'bun:sqlite';
import { fromBunSqlite } from '../../src/bun-sqlite/index.ts';
import type { SyncSqliteClient } from '../../src/core/sqlite-database.ts';
import { runDataContract } from '../../src/testing/contract.ts';

const db = fromBunSqlite(new Database(process.argv[2] ?? ':memory:', { create: true }) as unknown as SyncSqliteClient);
const results = await runDataContract(db);
await db.close();
console.log(`CONTRACT_RESULTS ${JSON.stringify({ driver: db.driver, results })}`);
