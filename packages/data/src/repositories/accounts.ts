import type { AccountRecord, AccountRepository } from '@smarter/auth';
import { eq } from 'drizzle-orm';
import { wrapDriver } from '../core/data-error.ts';
import type { Database } from '../core/database.ts';
import { first, newId, queries } from '../internal/orm.ts';
import type { RepositoryOptions } from './options.ts';

const ACCOUNT_NUMBER = /^\d{4}-\d{4}-\d{4}$/;

/**
 * A random account number `####-####-####` (SPEC §16), from the platform CSPRNG without modulo bias.
 *
 * @example
 * await accounts.create({ number: randomAccountNumber(), name: 'Acme' });
 */
export function randomAccountNumber(): string {
  const digits: number[] = [];
  const bytes = new Uint8Array(32);
  while (digits.length < 12) {
    crypto.getRandomValues(bytes);
    for (const byte of bytes) if (byte < 250 && digits.length < 12) digits.push(byte % 10);
  }
  const text = digits.join('');
  return `${text.slice(0, 4)}-${text.slice(4, 8)}-${text.slice(8)}`;
}

/** True for a well-formed account number. */
export function isAccountNumber(value: string): boolean {
  return ACCOUNT_NUMBER.test(value);
}

/** Accounts (tenants) over a {@link Database}. */
export function accountRepository(db: Database, options: RepositoryOptions = {}): AccountRepository {
  const { orm, t } = queries(db);
  const now = options.now ?? Date.now;
  return {
    create: (input) =>
      wrapDriver(async () => {
        const record: AccountRecord = { id: newId(), number: input.number, name: input.name, createdAt: now() };
        await orm.insert(t.accounts).values(record);
        return record;
      }),
    getById: (id) =>
      wrapDriver(async () => first(await orm.select().from(t.accounts).where(eq(t.accounts.id, id)).limit(1))),
    getByNumber: (accountNumber) =>
      wrapDriver(async () =>
        first(await orm.select().from(t.accounts).where(eq(t.accounts.number, accountNumber)).limit(1)),
      ),
  };
}
