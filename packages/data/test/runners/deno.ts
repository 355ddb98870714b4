// Runs the data contract on Deno with node:sqlite; spawned by src/runtimes.test.ts, which reads the last line.

import process from 'node:process';
import { DatabaseSync } from 'node:sqlite';
import { fromNodeSqlite, type NodeSqliteClient } from '../../src/node-sqlite/index.ts';
import { runDataContract } from '../../src/testing/contract.ts';

const db = fromNodeSqlite(new DatabaseSync(process.argv[2] ?? ':memory:') as unknown as NodeSqliteClient);
const results = await runDataContract(db);
await db.close();
console.log(`CONTRACT_RESULTS ${JSON.stringify({ driver: db.driver, results })}`);
