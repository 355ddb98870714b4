// Journal append throughput (rows/s), single awaited writes and batched, on SQLite (better-sqlite3, file, WAL) and,
// with DATABASE_URL, PostgreSQL (a fresh schema, dropped afterwards).
// Run: DATABASE_URL=postgres://… pnpm --filter @smarter/data exec node --import tsx --conditions=@smarter/source bench/journal-append.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JournalEvent } from '@smarter/security';
import { openBetterSqlite } from '../src/better-sqlite3/index.ts';
import type { Database } from '../src/core/database.ts';
import { migrate } from '../src/core/migrate.ts';
import { databaseJournalSink } from '../src/journal/database-sink.ts';
import { openPostgres } from '../src/postgres/index.ts';

const event = (n: number): JournalEvent => ({
  id: crypto.randomUUID(),
  time: new Date().toISOString(),
  type: 'auth.failed',
  severity: 'warning',
  requestId: crypto.randomUUID(),
  clientKey: '203.0.113.7',
  method: 'POST',
  path: '/api/v1/chat',
  status: 401,
  reason: 'BAD_KEY',
  details: { n, key: '****abcd' },
});

async function measure(name: string, db: Database, single: number, batches: number, batchSize: number) {
  await migrate(db);
  const sink = databaseJournalSink(db);
  let start = performance.now();
  for (let i = 0; i < single; i += 1) await sink.write(event(i));
  const singleRate = single / ((performance.now() - start) / 1000);
  start = performance.now();
  for (let b = 0; b < batches; b += 1) {
    await sink.writeMany(Array.from({ length: batchSize }, (_, i) => event(b * batchSize + i)));
  }
  const batchedRate = (batches * batchSize) / ((performance.now() - start) / 1000);
  start = performance.now();
  await Promise.all(Array.from({ length: batches * batchSize }, (_, i) => sink.write(event(i))));
  const groupedRate = (batches * batchSize) / ((performance.now() - start) / 1000);
  const report = await sink.verify();
  if (!report.ok) throw new Error(`${name}: chain does not verify`);
  console.log(
    JSON.stringify({
      bench: `journal append (${name})`,
      singleRowsPerSecond: Math.round(singleRate),
      batchedRowsPerSecond: Math.round(batchedRate),
      batchSize,
      concurrentGroupedRowsPerSecond: Math.round(groupedRate),
      rowsVerified: report.rows,
    }),
  );
}

const dir = mkdtempSync(join(tmpdir(), 'smarter-bench-'));
const sqlite = openBetterSqlite(join(dir, 'journal.sqlite3'));
try {
  await measure('better-sqlite3, file, WAL', sqlite, 2000, 50, 100);
} finally {
  await sqlite.close();
  rmSync(dir, { recursive: true, force: true });
}

const url = process.env['DATABASE_URL'];
if (url) {
  const schema = `smarter_bench_${Date.now().toString(36)}`;
  const admin = openPostgres(url, { max: 1 });
  await admin.sql.exec(`CREATE SCHEMA ${schema}`);
  const pg = openPostgres(url, { max: 4, searchPath: schema });
  try {
    await measure('postgres', pg, 1000, 50, 100);
  } finally {
    await pg.close();
    await admin.sql.exec(`DROP SCHEMA ${schema} CASCADE`);
    await admin.close();
  }
} else {
  console.log('[SKIP] PostgreSQL journal bench: DATABASE_URL is not set');
}
