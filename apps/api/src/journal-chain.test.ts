import { parseKeyRing } from '@smarter/auth';
import { databaseJournalSink, migrate } from '@smarter/data';
import { openBetterSqlite } from '@smarter/data/better-sqlite3';
import { describe, expect, it } from 'vitest';
import { journalChainKeys } from './journal-chain.ts';

const OLD = 'old-key-0123456789abcdef0123456789abcdef';
const NEW = 'new-key-fedcba9876543210fedcba9876543210';
const event = (i: number) => ({
  id: `e${i}`,
  time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  type: 'auth.failed' as const,
  severity: 'notice' as const,
});

describe('journalChainKeys', () => {
  it('keeps verifying when a new key is put first without ids, and refuses once the old key is gone', async () => {
    const db = openBetterSqlite(':memory:');
    await migrate(db);
    const before = databaseJournalSink(db, { chainKeys: journalChainKeys(parseKeyRing(OLD)) });
    await before.writeMany([event(0), event(1)]);
    // Rotation as operators do it: the new key first, the old one kept after it (positional ids k0, k1 swap keys).
    const after = databaseJournalSink(db, { chainKeys: journalChainKeys(parseKeyRing(`${NEW},${OLD}`)) });
    await after.writeMany([event(2)]);
    expect(await after.verify()).toMatchObject({ ok: true, rows: 3 });
    const [first, , third] = await after.list();
    expect(first?.hash.split(':')[1]).not.toBe(third?.hash.split(':')[1]);
    const dropped = databaseJournalSink(db, { chainKeys: journalChainKeys(parseKeyRing(NEW)) });
    expect(await dropped.verify()).toEqual({ ok: false, rows: 0, brokenAt: 1, reason: 'UNKNOWN_KEY' });
    await db.close();
  });
});
