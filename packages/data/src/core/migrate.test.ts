import { isSmarterError } from '@smarter/security';
import { serviceUrl } from '@smarter/security/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../better-sqlite3/index.ts';
import { openPostgres } from '../postgres/index.ts';
import type { Database } from './database.ts';
import { migrate, schemaVersion } from './migrate.ts';

function contract(name: string, open: () => Database) {
  describe(`migrate on ${name}`, () => {
    const db = open();
    afterAll(() => db.close());

    it('answers a ping, applies from empty and re-applies as a no-op', async () => {
      await db.ping();
      await migrate(db);
      await migrate(db);
      expect(await schemaVersion(db)).toBe('1');
      const rows = await db.sql.rows('SELECT count(*) AS n FROM smarter_meta WHERE key = $1', ['schema_version']);
      expect(Number(rows[0]?.['n'])).toBe(1);
    });

    it('wraps driver errors so no SQL or parameter reaches the message', async () => {
      let thrown: unknown;
      try {
        await db.sql.rows('SELECT * FROM no_such_table WHERE secret = $1', ['hunter2']);
      } catch (error) {
        thrown = error;
      }
      expect(isSmarterError(thrown)).toBe(true);
      expect(String((thrown as Error).message)).not.toMatch(/no_such_table|hunter2|SELECT/i);
    });
  });
}

contract('better-sqlite3 (memory)', () => openBetterSqlite(':memory:'));

const pgUrl = serviceUrl('DATABASE_URL', 'PostgreSQL');
if (pgUrl) contract('postgres', () => openPostgres(pgUrl, { max: 2 }));
