// Key lookup by id on better-sqlite3 (file, WAL): the hot path of every API-key request. Target: median < 10 µs.
// Run: pnpm --filter @smarter/data exec node --import tsx --conditions=@smarter/source bench/key-lookup.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBetterSqlite } from '../src/better-sqlite3/index.ts';
import { migrate } from '../src/core/migrate.ts';
import { randomAccountNumber } from '../src/repositories/accounts.ts';
import { createRepositories } from '../src/repositories/index.ts';
import { summary } from './stats.ts';

const KEYS = 10_000;
const SAMPLES = 50_000;
const dir = mkdtempSync(join(tmpdir(), 'smarter-bench-'));

async function bench(exclusive: boolean) {
  const db = openBetterSqlite(join(dir, `bench-${exclusive}.sqlite3`), { exclusive });
  try {
    await migrate(db);
    const repos = createRepositories(db);
    const account = await repos.accounts.create({ number: randomAccountNumber(), name: 'bench' });
    const user = await repos.users.create({
      accountId: account.id,
      email: 'bench@example.com',
      role: 'member',
      active: true,
      emailVerified: true,
      passwordHash: null,
    });
    const ids: string[] = [];
    for (let i = 0; i < KEYS; i += 1) {
      const id = `k${i.toString(36).padStart(6, '0')}`;
      ids.push(id);
      await repos.keys.create({
        id,
        accountId: account.id,
        userId: user.id,
        name: `key ${i}`,
        description: '',
        hash: 'x'.repeat(43),
        pepperId: 'p1',
        lastFour: 'abcd',
        scopes: ['chat'],
        agentIds: i % 2 === 0 ? ['agent-1'] : [],
        createdAt: 0,
        expiresAt: 1e13,
        lastUsedAt: null,
        active: true,
        revokedAt: null,
      });
    }
    // Steady state of a read-heavy server: the write-ahead log has been checkpointed into the file.
    await db.sql.rows('PRAGMA wal_checkpoint(TRUNCATE)');
    for (let i = 0; i < 5_000; i += 1) await repos.keys.getById(ids[i % KEYS]!);
    const samples: bigint[] = [];
    for (let i = 0; i < SAMPLES; i += 1) {
      const id = ids[(i * 7919) % KEYS]!;
      const start = process.hrtime.bigint();
      const key = await repos.keys.getById(id);
      samples.push(process.hrtime.bigint() - start);
      if (key?.id !== id) throw new Error('lookup returned the wrong key');
    }
    // The floor: the same join through better-sqlite3 alone, without Drizzle or the repository.
    const client = (db.orm as unknown as { $client: { prepare(sql: string): { all(id: string): unknown[] } } }).$client;
    const raw = client.prepare(
      'SELECT k.*, b.agent_id FROM api_keys k LEFT JOIN api_key_agents b ON b.key_id = k.id WHERE k.id = ?',
    );
    const rawSamples: bigint[] = [];
    for (let i = 0; i < SAMPLES; i += 1) {
      const start = process.hrtime.bigint();
      raw.all(ids[(i * 7919) % KEYS]!);
      rawSamples.push(process.hrtime.bigint() - start);
    }
    const { median, p90, p99 } = summary(samples);
    const floor = summary(rawSamples);
    console.log(
      JSON.stringify({
        bench: `api key lookup by id (better-sqlite3, file, WAL${exclusive ? ', exclusive locking' : ''}, 10k keys, with bindings)`,
        samples: SAMPLES,
        medianUs: +median.toFixed(2),
        p90Us: +p90.toFixed(2),
        p99Us: +p99.toFixed(2),
        rawDriverMedianUs: +floor.median.toFixed(2),
        targetMedianUs: 10,
      }),
    );
  } finally {
    await db.close();
  }
}

try {
  await bench(false);
  await bench(true);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
