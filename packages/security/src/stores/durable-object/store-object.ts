import { opOf, parseStoreRequest, type StoreOp, type StoreRequest } from './protocol.ts';
import type { DurableObjectStateLike, SqlStorageLike } from './workers-types.ts';

/** Rows one sweep deletes at most, so an alarm stays well inside its CPU limit; when more are due it runs again. */
export const SWEEP_BATCH = 10_000;
/** A row is deleted this long after it expired (it is already invisible): slack for clocks that differ a little. */
export const GC_DELAY_MS = 60_000;
/** Alarms fall on multiples of this, so the writes of a busy minute share one alarm instead of moving it each time. */
export const SWEEP_EVERY_MS = 60_000;

// One row per key. k: the key; v: text (NULL for a counter); c: count (NULL for text); e: expiry on the caller's
// clock, which decides what is live (0 = never); g: when the sweep may delete the row, on this object's clock
// (0 = never). Two clocks, as the Redis store's value expiry and PEXPIRE: the caller's clock is injectable (tests move
// it), the object's is the real one, and a row is collected only a minute after it expired.
// WITHOUT ROWID keeps the key once; the partial index holds only rows that expire.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS smarter_store (
  k TEXT PRIMARY KEY NOT NULL,
  v TEXT,
  c INTEGER,
  e INTEGER NOT NULL,
  g INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS smarter_store_gc ON smarter_store (g) WHERE g > 0;`;

// A live counter keeps counting in its window; anything else (missing, expired, or text) starts a window at 1.
// SQLite evaluates every SET expression against the old row, so `live` reads the old c and e in each.
const LIVE_COUNTER = 'c IS NOT NULL AND e > ?';
const INCREMENT = `
INSERT INTO smarter_store (k, v, c, e, g) VALUES (?, NULL, 1, ?, ?)
ON CONFLICT (k) DO UPDATE SET
  v = NULL,
  c = CASE WHEN ${LIVE_COUNTER} THEN c + 1 ELSE 1 END,
  e = CASE WHEN ${LIVE_COUNTER} THEN e ELSE excluded.e END,
  g = CASE WHEN ${LIVE_COUNTER} THEN g ELSE excluded.g END
RETURNING c, e`;
const SELECT = 'SELECT v, c, e FROM smarter_store WHERE k = ?';
const DELETE_EXPIRED = 'DELETE FROM smarter_store WHERE k = ? AND e = ?';
const SET = 'INSERT OR REPLACE INTO smarter_store (k, v, c, e, g) VALUES (?, ?, NULL, ?, ?)';
const SET_IF_ABSENT = `
INSERT INTO smarter_store (k, v, c, e, g) VALUES (?, ?, NULL, ?, ?)
ON CONFLICT (k) DO UPDATE SET v = excluded.v, c = NULL, e = excluded.e, g = excluded.g
  WHERE e <> 0 AND e <= ?
RETURNING 1 AS won`;
const DELETE = 'DELETE FROM smarter_store WHERE k = ?';
const SWEEP = `
DELETE FROM smarter_store WHERE k IN (SELECT k FROM smarter_store WHERE g > 0 AND g <= ? LIMIT ${SWEEP_BATCH})`;
const NEXT_SWEEP = 'SELECT min(g) AS g FROM smarter_store WHERE g > 0';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/**
 * The Durable Object behind {@link durableObjectStore} (SPEC §20): one shard of the store's keys in the object's
 * SQLite database. Each operation is one SQL statement (a read that finds an expired row adds a delete), run
 * synchronously, so it is atomic with no lock: nothing awaits between the read and the write, and workerd delivers
 * nothing else to the object meanwhile.
 *
 * Expiry is lazy (a read ignores, and deletes, an expired row) and swept: every write that expires schedules the
 * object's alarm, on a multiple of a minute, for a minute after the expiry, and the alarm deletes due rows through a
 * partial index (at most {@link SWEEP_BATCH} per run), then sets itself for the next due row. Storage so holds only
 * what is live or expired for at most about two minutes. A row costs about 45 bytes plus twice the key (once in the
 * table, once in the expiry index), in 4 KiB pages: 84 bytes for 20-character keys, 225 for 80 (measured in workerd).
 *
 * Needs SQLite storage: declare the class under `new_sqlite_classes` in the Worker's migrations. On a key-value
 * backed class (`new_classes`) every operation rejects with workerd's "SQL is not enabled" error, so guards fail
 * closed rather than run without their store.
 *
 * @example
 * // The Worker's main module must export the class it binds:
 * export { SmarterStoreObject } from '@smarter/security/stores/durable-object';
 */
export class SmarterStoreObject {
  /** The object's state, for subclasses. */
  protected readonly ctx: DurableObjectStateLike;
  private readonly sql: SqlStorageLike;
  /** The alarm as last set or read, so most writes skip `setAlarm` (null: none; undefined: not read yet). */
  private alarmAt: number | null | undefined;

  constructor(ctx: DurableObjectStateLike, _env?: unknown) {
    this.ctx = ctx;
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
    void ctx.blockConcurrencyWhile(async () => {
      this.alarmAt = await ctx.storage.getAlarm();
    });
  }

  /** This object's own clock: for collecting garbage only (expiry follows the caller's). Tests override it. */
  protected now(): number {
    return Date.now();
  }

  /** Answers one store operation (see `protocol.ts`); 400 for a request it does not understand. */
  async fetch(request: Request): Promise<Response> {
    const op = opOf(request.url);
    if (op === undefined || request.method !== 'POST') return json({ error: 'UNKNOWN_OPERATION' }, 400);
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return json({ error: 'BAD_REQUEST' }, 400);
    }
    const input = parseStoreRequest(op, body);
    if (input === undefined) return json({ error: 'BAD_REQUEST' }, 400);
    return json(await this.run(op, input));
  }

  private async run(op: StoreOp, { key, now, ttlMs, value }: StoreRequest): Promise<unknown> {
    const sql = this.sql;
    const ttl = ttlMs === undefined ? undefined : Math.max(0, Math.floor(ttlMs));
    // When the sweep may delete what this write keeps (0: never).
    const gcAt = ttl === undefined ? 0 : this.now() + ttl + GC_DELAY_MS;
    switch (op) {
      case 'increment': {
        const window = Math.max(1, ttl ?? 1);
        const [row] = sql.exec(INCREMENT, key, now + window, gcAt, now, now, now).toArray();
        await this.sweepBy(gcAt);
        return { count: Number(row?.['c']), resetAt: Number(row?.['e']) };
      }
      case 'get': {
        const [row] = sql.exec(SELECT, key).toArray();
        if (row === undefined) return { value: null };
        const expiresAt = Number(row['e']);
        if (expiresAt !== 0 && expiresAt <= now) {
          sql.exec(DELETE_EXPIRED, key, expiresAt);
          return { value: null };
        }
        return { value: typeof row['v'] === 'string' ? row['v'] : String(row['c']) };
      }
      case 'set': {
        sql.exec(SET, key, value, ttl === undefined ? 0 : now + ttl, gcAt);
        await this.sweepBy(gcAt);
        return {};
      }
      case 'setIfAbsent': {
        const won = sql.exec(SET_IF_ABSENT, key, value, ttl === undefined ? 0 : now + ttl, gcAt, now).toArray();
        if (won.length > 0) await this.sweepBy(gcAt);
        return { won: won.length > 0 };
      }
      case 'delete': {
        sql.exec(DELETE, key);
        return {};
      }
    }
  }

  /** Makes sure an alarm runs by `gcAt` (rounded up to {@link SWEEP_EVERY_MS}); sets it only when it must move. */
  private async sweepBy(gcAt: number): Promise<void> {
    if (gcAt === 0) return;
    const at = Math.ceil(gcAt / SWEEP_EVERY_MS) * SWEEP_EVERY_MS;
    if (this.alarmAt !== null && this.alarmAt !== undefined && this.alarmAt <= at) return;
    this.alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }

  /** The sweep: deletes rows past their collection time, then sets the alarm for the next one (if any). */
  async alarm(): Promise<void> {
    this.alarmAt = null; // this alarm has fired: workerd holds none now
    const now = this.now();
    this.sql.exec(SWEEP, now);
    const [next] = this.sql.exec(NEXT_SWEEP).toArray();
    const g = Number(next?.['g'] ?? 0);
    if (g > 0 && g <= now) {
      // More than a batch was due: continue at once, in a new run with its own limits.
      this.alarmAt = now;
      await this.ctx.storage.setAlarm(now);
      return;
    }
    if (g > 0) await this.sweepBy(g);
  }
}
