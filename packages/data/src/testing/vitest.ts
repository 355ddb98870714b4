import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Database } from '../core/database.ts';
import { type ContractContext, contractContext, DATA_CONTRACT } from './contract.ts';

/** How the suite gets a fresh, empty database, and frees it. */
export interface ContractTarget {
  open(): Promise<Database> | Database;
  /** Frees what `open` made (close, drop the schema). @default closes the database */
  close?(db: Database): Promise<void> | void;
}

/**
 * Registers the data contract as vitest tests against one driver: each check is one test, in order, on one fresh
 * database (the first check migrates it).
 *
 * @example
 * dataContract('better-sqlite3', { open: () => openBetterSqlite(':memory:') });
 */
export function dataContract(name: string, target: ContractTarget): void {
  describe(`data contract: ${name}`, () => {
    let db: Database | undefined;
    let ctx: ContractContext | undefined;
    beforeAll(async () => {
      db = await target.open();
      ctx = contractContext(db);
    }, 30_000);
    afterAll(async () => {
      if (db === undefined) return;
      if (target.close) await target.close(db);
      else await db.close();
    });
    for (const check of DATA_CONTRACT) {
      it(check.name, async () => {
        if (ctx === undefined) throw new Error(`${name}: the database did not open`);
        await check.run(ctx);
      });
    }
  });
}
