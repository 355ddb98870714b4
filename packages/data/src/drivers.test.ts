import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeClock, serviceUrl, storeConformance } from '@smarter/security/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from './better-sqlite3/index.ts';
import type { Database } from './core/database.ts';
import { migrate, migrationsFor, schemaVersion } from './core/migrate.ts';
import { openPostgres } from './postgres/index.ts';
import { sqlStore } from './store/sql-store.ts';
import { dataContract } from './testing/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'smarter-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

dataContract('better-sqlite3 (file, WAL)', { open: () => openBetterSqlite(join(dir, 'contract.sqlite3')) });
dataContract('better-sqlite3 (memory)', { open: () => openBetterSqlite(':memory:') });

/** Several instances starting at once: every migration is applied exactly once, and none of them fails. */
async function migrateConcurrently(instances: readonly Database[]) {
  await Promise.all(instances.map((db) => migrate(db)));
  const [first] = instances;
  expect(await schemaVersion(first!)).toBe(String(migrationsFor(first!).length));
  const rows = await first!.sql.rows('SELECT tag FROM smarter_migrations ORDER BY tag');
  expect(rows.map((r) => r['tag'])).toEqual(migrationsFor(first!).map((m) => m.tag));
}

describe('migrate from several instances at once', () => {
  it('on one SQLite file from three connections', async () => {
    const file = join(dir, 'concurrent.sqlite3');
    const instances = [openBetterSqlite(file), openBetterSqlite(file), openBetterSqlite(file)];
    try {
      await migrateConcurrently(instances);
    } finally {
      for (const db of instances) await db.close();
    }
  });
});

const shared = openBetterSqlite(join(dir, 'store.sqlite3'));
afterAll(() => shared.close());
storeConformance('SQL store on better-sqlite3', async () => {
  await migrate(shared);
  const clock = fakeClock();
  return { store: sqlStore(shared, { now: clock.now }), advance: clock.advance };
});

const pgUrl = serviceUrl('DATABASE_URL', 'PostgreSQL');
if (pgUrl) {
  /** A fresh schema per use, so parallel runs on one server never collide. */
  const freshSchema = async (): Promise<{ db: Database; drop: () => Promise<void> }> => {
    const schema = `smarter_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = openPostgres(pgUrl, { max: 1 });
    await admin.sql.exec(`CREATE SCHEMA ${schema}`);
    const db = openPostgres(pgUrl, { max: 4, searchPath: schema });
    return {
      db,
      drop: async () => {
        await db.close();
        await admin.sql.exec(`DROP SCHEMA ${schema} CASCADE`);
        await admin.close();
      },
    };
  };
  describe('migrate from several instances at once', () => {
    it('on one PostgreSQL schema from three pools', async () => {
      const { db, drop } = await freshSchema();
      const path = (await db.sql.rows('SHOW search_path'))[0]?.['search_path'] as string;
      const others = [
        openPostgres(pgUrl, { max: 1, searchPath: path }),
        openPostgres(pgUrl, { max: 1, searchPath: path }),
      ];
      try {
        await migrateConcurrently([db, ...others]);
      } finally {
        for (const other of others) await other.close();
        await drop();
      }
    });
  });

  const drops = new Map<Database, () => Promise<void>>();
  dataContract('postgres', {
    open: async () => {
      const { db, drop } = await freshSchema();
      drops.set(db, drop);
      return db;
    },
    close: (db) => drops.get(db)?.(),
  });
  let pgStore: Awaited<ReturnType<typeof freshSchema>> | undefined;
  afterAll(() => pgStore?.drop());
  storeConformance('SQL store on PostgreSQL', async () => {
    if (pgStore === undefined) {
      pgStore = await freshSchema();
      await migrate(pgStore.db);
    }
    const clock = fakeClock();
    return { store: sqlStore(pgStore.db, { now: clock.now }), advance: clock.advance };
  });
}
