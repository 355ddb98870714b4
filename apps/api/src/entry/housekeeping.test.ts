import { pbkdf2Engine } from '@smarter/auth';
import { migrate, sqlStore } from '@smarter/data';
import { openBetterSqlite } from '@smarter/data/better-sqlite3';
import { memoryStore } from '@smarter/security';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { createLogger } from '../logging/logger.ts';
import { buildServices } from '../services.ts';
import { journalFailureLog, storeHousekeeping } from './housekeeping.ts';

function captured() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });
  return { lines, logger };
}

describe('storeHousekeeping', () => {
  it('purges the SQL store of expired entries, now and on its timer, and leaves live ones', async () => {
    const db = openBetterSqlite(':memory:');
    await migrate(db);
    let at = 1_000_000;
    const store = sqlStore(db, { now: () => at });
    for (let i = 0; i < 5; i++) await store.increment(`404:198.51.100.${i}`, 1000);
    await store.set('live', 'yes', 60_000);
    at += 2000;
    const { lines, logger } = captured();
    const once = storeHousekeeping(store, logger, 3_600_000);
    expect(await once.run()).toBe(5);
    expect(await once.run()).toBe(0);
    once.stop();
    expect(await store.get('live')).toBe('yes');
    // On its timer too.
    for (let i = 0; i < 3; i++) await store.increment(`404:203.0.113.${i}`, 1000);
    at += 2000;
    const timed = storeHousekeeping(store, logger, 20);
    const deadline = Date.now() + 5000;
    while (!lines.some((l) => l.includes('"deleted":3')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    timed.stop();
    expect(lines.some((l) => l.includes('"deleted":3'))).toBe(true);
    await db.close();
  });

  it('needs nothing for stores that expire entries themselves', async () => {
    const { lines, logger } = captured();
    const housekeeping = storeHousekeeping(memoryStore(), logger, 10);
    expect(await housekeeping.run()).toBe(0);
    housekeeping.stop();
    expect(lines).toEqual([]);
  });
});

describe('journal failures', () => {
  it('are logged at most once a minute with the count lost, never silently dropped', async () => {
    let at = 0;
    const { lines, logger } = captured();
    const failed = journalFailureLog(logger, () => at);
    failed();
    failed();
    failed();
    at += 61_000;
    failed();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('"lost":1');
    expect(lines[1]).toContain('"lost":3');
  });

  it('reach the hook when the database refuses the write', async () => {
    const db = openBetterSqlite(':memory:');
    await migrate(db);
    const failures: unknown[] = [];
    const services = buildServices({
      config: loadConfig({ SMARTER_ENV: 'test', SMARTER_SECRET_KEYS: 'k1:0123456789abcdef0123456789abcdef0123456789' }),
      db,
      store: memoryStore(),
      passwordEngine: pbkdf2Engine({ iterations: 10_000 }),
      journalSinks: [],
      onJournalFailure: (error) => failures.push(error),
    });
    await db.close();
    services.journal.emit({ type: 'auth.failed', severity: 'notice', reason: 'BAD_KEY' });
    await services.flush();
    expect(failures).toHaveLength(1);
  });
});
