import { beforeEach, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../better-sqlite3/index.ts';
import type { Database } from '../core/database.ts';
import { migrate } from '../core/migrate.ts';
import { canonicalRow, GENESIS_HASH, linkHash } from './chain.ts';
import { databaseJournalSink } from './database-sink.ts';
import { redactDetails } from './redact.ts';

const row = {
  seq: 1,
  id: 'e1',
  time: '2026-01-01T00:00:00.000Z',
  type: 'auth.failed',
  severity: 'warning',
  requestId: null,
  clientKey: '203.0.113.7',
  principal: null,
  account: null,
  agent: null,
  method: 'GET',
  path: '/',
  status: 401,
  reason: 'BAD_KEY',
  details: null,
};

describe('hash chain', () => {
  it('hashes a fixed field order and changes with any field or the previous hash', async () => {
    const h = await linkHash(GENESIS_HASH, row);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(await linkHash(GENESIS_HASH, { ...row })).toBe(h);
    expect(await linkHash(GENESIS_HASH, { ...row, status: 403 })).not.toBe(h);
    expect(await linkHash('1'.repeat(64), row)).not.toBe(h);
    expect(canonicalRow({ ...row, requestId: null })).not.toBe(canonicalRow({ ...row, requestId: 'null' }));
  });

  it('redacts secret-named keys at any depth and bounds the size', () => {
    expect(redactDetails({ a: { Authorization: 'Bearer x', list: [{ apiKey: 'k' }] }, ok: 1 })).toBe(
      '{"a":{"Authorization":"***","list":[{"apiKey":"***"}]},"ok":1}',
    );
    expect(redactDetails({})).toBeNull();
    expect(redactDetails(undefined)).toBeNull();
    const wide = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 'words '.repeat(70)]));
    expect(redactDetails(wide)).toBe('{"truncated":true}');
    expect(JSON.parse(redactDetails({ big: 'words '.repeat(2000) }) ?? '{}').big.length).toBeLessThan(600);
  });

  it('masks credentials inside text whatever the key, and keeps only the name of an error', () => {
    const pgError = Object.assign(new Error('duplicate key value violates unique constraint "users_email"'), {
      detail: 'Key (email)=(victim@example.com) already exists.',
      where: 'SQL statement "INSERT INTO users …"',
      file: 'nbtinsert.c',
    });
    const stored = redactDetails({
      auth: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
      session: 'abc',
      csrf: 'def',
      signature: 'ghi',
      note: 'retry with Token abcdefgh12345678 later',
      err: pgError,
    });
    expect(JSON.parse(stored ?? '{}')).toEqual({
      auth: '***',
      session: '***',
      csrf: '***',
      signature: '***',
      note: 'retry with Token *** later',
      err: { name: 'Error' },
    });
  });
});

describe('verify on a tampered journal', () => {
  let db: Database;
  const events = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      id: `e${i}`,
      time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      type: 'path.sensitive' as const,
      severity: 'warning' as const,
    }));

  beforeEach(async () => {
    db = openBetterSqlite(':memory:');
    await migrate(db);
    await databaseJournalSink(db).writeMany(events(10));
  });

  it('verifies an untouched chain', async () => {
    expect(await databaseJournalSink(db).verify()).toMatchObject({ ok: true, rows: 10, lastSeq: 10 });
  });

  it('finds a deleted row in the middle', async () => {
    await db.sql.exec('DELETE FROM journal WHERE seq = 4');
    expect(await databaseJournalSink(db).verify()).toEqual({ ok: false, rows: 3, brokenAt: 5, reason: 'SEQUENCE_GAP' });
  });

  it('finds a re-hashed row by its successor', async () => {
    const sink = databaseJournalSink(db);
    const [fourth] = await sink.list({ afterSeq: 3, limit: 1 });
    const forged = { ...fourth!, reason: 'FORGED' };
    const hash = await linkHash(forged.prevHash, forged);
    const forge = () =>
      db.sql.rows("UPDATE journal SET reason = 'FORGED', hash = $1 WHERE seq = 4 RETURNING seq", [hash]);
    await expect(forge()).rejects.toMatchObject({ code: expect.stringMatching(/^DATA_/) });
    await db.sql.exec('DROP TRIGGER journal_append_only');
    await forge();
    expect(await sink.verify()).toEqual({ ok: false, rows: 4, brokenAt: 5, reason: 'CHAIN_BROKEN' });
  });

  it('keeps verifying after retention pruning of the oldest rows', async () => {
    const sink = databaseJournalSink(db);
    expect(await sink.prune(new Date(Date.UTC(2026, 0, 1, 0, 0, 3)).toISOString())).toBe(3);
    expect(await sink.verify()).toMatchObject({ ok: true, rows: 7 });
    await sink.write({ id: 'later', time: new Date().toISOString(), type: 'config.loaded', severity: 'info' });
    expect(await sink.verify()).toMatchObject({ ok: true, rows: 8, lastSeq: 11 });
  });
});
