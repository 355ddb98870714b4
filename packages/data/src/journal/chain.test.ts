import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../better-sqlite3/index.ts';
import type { Database } from '../core/database.ts';
import { migrate } from '../core/migrate.ts';
import { canonicalRow, GENESIS_HASH, type JournalChainKeys, linkHash } from './chain.ts';
import { databaseJournalSink, type StoredJournalEvent } from './database-sink.ts';
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
    expect(JSON.parse(redactDetails({ big: 'words '.repeat(2000) }) ?? '{}').big.length).toBeLessThanOrEqual(2048);
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
      fingerprint: 'a'.repeat(20) + '0123456789abcdef'.repeat(3),
      host: 'support-assistant.1234567.api.smarter-demo.example',
      words: 'token validation failed; basic checks passed',
      err: pgError,
    });
    expect(JSON.parse(stored ?? '{}')).toEqual({
      auth: 'Bearer ***',
      session: '***',
      csrf: '***',
      signature: '***',
      note: 'retry with Token *** later',
      fingerprint: 'a'.repeat(20) + '0123456789abcdef'.repeat(3),
      host: 'support-assistant.1234567.api.smarter-demo.example',
      words: 'token validation failed; basic checks passed',
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

  it('keeps verifying after retention pruning of the oldest rows, which the chain records', async () => {
    const sink = databaseJournalSink(db);
    expect(await sink.prune(new Date(Date.UTC(2026, 0, 1, 0, 0, 3)).toISOString())).toBe(3);
    expect(await sink.verify()).toMatchObject({ ok: true, rows: 8, lastSeq: 11 });
    const [marker] = await sink.list({ type: 'journal.pruned' });
    expect(marker).toMatchObject({ seq: 11, details: '{"throughSeq":3}' });
    await sink.write({ id: 'later', time: new Date().toISOString(), type: 'config.loaded', severity: 'info' });
    expect(await sink.verify()).toMatchObject({ ok: true, rows: 9, lastSeq: 12 });
  });

  it('finds rows deleted at the start of the chain that no prune recorded', async () => {
    await db.sql.exec('DELETE FROM journal WHERE seq <= 2');
    expect(await databaseJournalSink(db).verify()).toEqual({ ok: false, rows: 8, brokenAt: 3, reason: 'HEAD_MISSING' });
  });
});

describe('a keyed chain', () => {
  const key0 = new Uint8Array(32).fill(7);
  const key1 = new Uint8Array(32).fill(9);
  const ring = (ids: Record<string, Uint8Array>, currentId: string): JournalChainKeys => ({
    currentId,
    mac: (id, message) => (ids[id] ? hmac(sha256, ids[id], message) : undefined),
  });
  const event = (i: number) => ({
    id: `k${i}`,
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    type: 'auth.failed' as const,
    severity: 'notice' as const,
    reason: 'BAD_KEY',
  });

  /**
   * What an attacker with database access does: sets `reason` of row `editSeq` to FORGED and re-hashes that row and the
   * `rows` after it (with `keys`, or plainly), each linked to the one before, starting from `rows[0]`'s hash.
   */
  async function rewrite(
    db: Database,
    rows: readonly StoredJournalEvent[],
    editSeq: number,
    keys?: JournalChainKeys,
  ): Promise<void> {
    let prev = rows[0]?.hash ?? '';
    for (const row of rows.slice(1)) {
      const forged = { ...row, prevHash: prev, reason: row.seq === editSeq ? 'FORGED' : row.reason };
      const hash = linkHash(prev, forged, keys);
      await db.sql.rows('UPDATE journal SET reason = $1, prev_hash = $2, hash = $3 WHERE seq = $4 RETURNING seq', [
        forged.reason,
        prev,
        hash,
        row.seq,
      ]);
      prev = hash;
    }
  }

  it('cannot be rewritten by someone who can write to the database but holds no key', async () => {
    const db = openBetterSqlite(':memory:');
    await migrate(db);
    const keys = ring({ k1: key1 }, 'k1');
    const sink = databaseJournalSink(db, { chainKeys: keys });
    await sink.writeMany(Array.from({ length: 5 }, (_, i) => event(i)));
    expect(await sink.verify()).toMatchObject({ ok: true, rows: 5 });
    const [first] = await sink.list({ limit: 1 });
    expect(first?.hash).toMatch(/^h1:k1:[0-9a-f]{64}$/);
    // The attacker drops the trigger, edits row 3 and re-hashes every row from there, the only way they can.
    await db.sql.exec('DROP TRIGGER journal_append_only');
    const rows = await sink.list();
    await rewrite(db, rows.slice(1), 3);
    expect(await sink.verify()).toEqual({ ok: false, rows: 2, brokenAt: 3, reason: 'UNKEYED' });
    // Nor with a key of their own.
    await rewrite(db, rows.slice(1), 3, ring({ k1: new Uint8Array(32).fill(1) }, 'k1'));
    expect(await sink.verify()).toEqual({ ok: false, rows: 2, brokenAt: 3, reason: 'HASH_MISMATCH' });
  });

  it('accepts the rows written before keys were used, sealed by the first keyed row, and nothing unsealed', async () => {
    const db = openBetterSqlite(':memory:');
    await migrate(db);
    const keys = ring({ k1: key1 }, 'k1');
    await databaseJournalSink(db).writeMany([event(0), event(1), event(2), event(3)]);
    // Before any keyed row, plain rows are sealed by nothing.
    expect(await databaseJournalSink(db, { chainKeys: keys }).verify()).toEqual({
      ok: false,
      rows: 0,
      brokenAt: 1,
      reason: 'UNKEYED',
    });
    // A retention prune from before keys left no record: that start cannot show, and is not held against the rows.
    await db.sql.exec('DELETE FROM journal WHERE seq = 1');
    const upgraded = databaseJournalSink(db, { chainKeys: keys });
    await upgraded.writeMany([event(4), event(5)]);
    expect(await upgraded.verify()).toMatchObject({ ok: true, rows: 5, unkeyedRows: 3 });
    // The first keyed row seals the plain ones: rewriting one means re-hashing the rest, which breaks the seal.
    await db.sql.exec('DROP TRIGGER journal_append_only');
    await rewrite(db, (await upgraded.list()).slice(0, 3), 3);
    expect(await upgraded.verify()).toEqual({ ok: false, rows: 3, brokenAt: 5, reason: 'CHAIN_BROKEN' });
  });

  it('still verifies after the key ring rotates, and says so when a key it needs is gone', async () => {
    const db = openBetterSqlite(':memory:');
    await migrate(db);
    await databaseJournalSink(db, { chainKeys: ring({ k0: key0 }, 'k0') }).writeMany([event(0), event(1)]);
    const rotated = databaseJournalSink(db, { chainKeys: ring({ k1: key1, k0: key0 }, 'k1') });
    await rotated.writeMany([event(2), event(3)]);
    expect(await rotated.verify()).toMatchObject({ ok: true, rows: 4 });
    const [, , third] = await rotated.list();
    expect(third?.hash.startsWith('h1:k1:')).toBe(true);
    const forgotten = databaseJournalSink(db, { chainKeys: ring({ k1: key1 }, 'k1') });
    expect(await forgotten.verify()).toEqual({ ok: false, rows: 0, brokenAt: 1, reason: 'UNKNOWN_KEY' });
    expect(await databaseJournalSink(db).verify()).toEqual({ ok: false, rows: 0, brokenAt: 1, reason: 'UNKNOWN_KEY' });
  });
});
