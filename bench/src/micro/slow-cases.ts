// Cases that are not per-request hot paths but that the issues ask figures for: password hashing time (target
// 50–250 ms per hash on Node) and journal appends to SQLite. Detected by export name like every case.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as auth from '@smarter/auth';
import * as data from '@smarter/data';
import type { MicroCase } from './cases.ts';
import { findFunction } from './cases.ts';

type Exports = Record<string, unknown>;
interface Hasher {
  hash(password: string): Promise<string>;
}
type CreateHasher = (o: { engine: unknown }) => Hasher;

function hashCase(id: string, label: string, engine: () => Promise<unknown | string>): MicroCase {
  return {
    id,
    group: 'Passwords and journal',
    label,
    async prepare() {
      const create = findFunction<CreateHasher>(auth as Exports, 'createPasswordHasher');
      if (!create) return 'not available yet: @smarter/auth exports no createPasswordHasher';
      const e = await engine();
      if (typeof e === 'string') return e;
      const hasher = create({ engine: e });
      return { op: () => hasher.hash('correct horse battery staple'), slow: true, notes: ['wall time per hash'] };
    },
  };
}

/** Password hashing (scrypt through node:crypto, PBKDF2 through WebCrypto) and SQLite journal appends. */
export const SLOW_CASES: readonly MicroCase[] = [
  hashCase('password-scrypt', 'password hash, scrypt engine (Node, Bun, Deno)', async () => {
    try {
      const mod = (await import('@smarter/auth/password-node' as string)) as Exports;
      const scrypt = findFunction<() => unknown>(mod, 'scryptEngine');
      return scrypt ? scrypt() : 'not available yet: @smarter/auth/password-node exports no scryptEngine';
    } catch {
      return 'not available yet: no @smarter/auth/password-node';
    }
  }),
  hashCase('password-pbkdf2', 'password hash, PBKDF2 engine (Workers-safe)', async () => {
    const pbkdf2 = findFunction<() => unknown>(auth as Exports, 'pbkdf2Engine');
    return pbkdf2 ? pbkdf2() : 'not available yet: @smarter/auth exports no pbkdf2Engine';
  }),
  {
    id: 'journal-append-sqlite',
    group: 'Passwords and journal',
    label: 'journal event appended to SQLite (hash-chained sink)',
    async prepare() {
      const sinkOf = findFunction<(db: unknown) => { write(e: unknown): Promise<void> }>(
        data as Exports,
        'databaseJournalSink',
      );
      if (!sinkOf) return 'not available yet: @smarter/data exports no databaseJournalSink';
      const { openBetterSqlite } = (await import('@smarter/data/better-sqlite3')) as unknown as {
        openBetterSqlite(path: string): { close(): Promise<void> };
      };
      const dir = mkdtempSync(join(tmpdir(), 'smarter-bench-journal-'));
      const db = openBetterSqlite(join(dir, 'journal.sqlite3'));
      await (data.migrate as (db: unknown) => Promise<unknown>)(db);
      const sink = sinkOf(db);
      const event = (n: number) => ({
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
      return {
        op: (i) => sink.write(event(i)),
        notes: ['one awaited write per event, better-sqlite3 file'],
        dispose: async () => {
          await db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];
