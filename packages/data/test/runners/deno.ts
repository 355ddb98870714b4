// Runs the data contract on Deno: node:sqlite on the file given, or postgres.js when given a postgres:// URL.
// Spawned by src/runtimes.test.ts, which reads the CONTRACT_RESULTS line.
import process from 'node:process';
import { DatabaseSync } from 'node:sqlite';
import { fromNodeSqlite, type NodeSqliteClient } from '../../src/node-sqlite/index.ts';
import { runDataContract } from '../../src/testing/contract.ts';
import { freshPostgres } from './postgres-schema.ts';

const target = process.argv[2] ?? ':memory:';
const { db, drop } = target.startsWith('postgres')
  ? await freshPostgres(target)
  : (() => {
      const sqlite = fromNodeSqlite(new DatabaseSync(target) as unknown as NodeSqliteClient);
      return { db: sqlite, drop: () => sqlite.close() };
    })();
const results = await runDataContract(db);
await drop();
console.log(`CONTRACT_RESULTS ${JSON.stringify({ driver: db.driver, results })}`);
