import { inspect } from 'node:util';
import { isSmarterError, problemBody } from '@smarter/security';
import { describe, expect, it } from 'vitest';
import { DataError, toDataError, wrapDriver } from './data-error.ts';

class DrizzleLike extends Error {
  constructor(
    readonly query: string,
    readonly params: unknown[],
    cause: unknown,
  ) {
    super(`Failed query: ${query}\nparams: ${params}`, { cause });
  }
}

const withCode = (message: string, code: string | number, key: 'code' | 'errcode' = 'code') =>
  Object.assign(new Error(message), { [key]: code });

describe('toDataError', () => {
  it.each([
    [withCode('UNIQUE constraint failed: users.email', 'SQLITE_CONSTRAINT_UNIQUE'), 'DATA_CONFLICT', 409],
    [withCode('duplicate key value violates unique constraint', '23505'), 'DATA_CONFLICT', 409],
    [withCode('UNIQUE constraint failed: accounts.number', 2067, 'errcode'), 'DATA_CONFLICT', 409],
    [new Error('D1_ERROR: UNIQUE constraint failed: accounts.number: SQLITE_CONSTRAINT'), 'DATA_CONFLICT', 409],
    [withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), 'DATA_UNAVAILABLE', 503],
    [withCode('database is locked', 'SQLITE_BUSY'), 'DATA_UNAVAILABLE', 503],
    [withCode('syntax error', '42601'), 'DATA_FAILED', 503],
  ])('classifies %s', (cause, code, status) => {
    const error = toDataError(new DrizzleLike('SELECT * FROM users WHERE email = $1', ['alice@example.com'], cause));
    expect(error).toBeInstanceOf(DataError);
    expect(isSmarterError(error)).toBe(true);
    expect([error.code, error.status]).toEqual([code, status]);
  });

  it('keeps no SQL, parameter, driver message or cause in anything it renders', async () => {
    const cause = withCode('UNIQUE constraint failed: users.email', 'SQLITE_CONSTRAINT_UNIQUE');
    const error = await wrapDriver(() => {
      throw new DrizzleLike('INSERT INTO users (email) VALUES (?)', ['hunter2@example.com'], cause);
    }).catch((e: unknown) => e as DataError);
    expect(error.cause).toBeUndefined();
    expect(error.driverCode).toBe('SQLITE_CONSTRAINT_UNIQUE');
    const rendered = [
      error.message,
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: 5 }),
      JSON.stringify(problemBody({ status: error.status, code: error.code, title: error.message })),
    ].join('\n');
    expect(rendered).not.toMatch(/INSERT|users|hunter2|constraint failed/i);
  });

  it('passes an inner DataError through (a proxy driver already classified it)', () => {
    const inner = new DataError('DATA_CONFLICT', 'SQLITE_CONSTRAINT_PRIMARYKEY');
    expect(toDataError(new DrizzleLike('x', [], inner))).toBe(inner);
  });

  it('drops a driver code that could carry text', () => {
    expect(toDataError(withCode('x', 'some code with spaces; DROP')).driverCode).toBeUndefined();
  });
});
