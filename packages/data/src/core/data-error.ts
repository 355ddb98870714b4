import { SmarterError } from '@smarter/security';

/** Stable codes of {@link DataError}. */
export type DataErrorCode = 'DATA_UNAVAILABLE' | 'DATA_CONFLICT' | 'DATA_FAILED';

const TITLES: Readonly<Record<DataErrorCode, readonly [string, number]>> = {
  DATA_UNAVAILABLE: ['Service unavailable', 503],
  DATA_CONFLICT: ['Conflict', 409],
  DATA_FAILED: ['Service unavailable', 503],
};

/**
 * A database failure. It keeps no SQL, no bound parameter and no driver message (Drizzle's own errors carry both):
 * only the driver's error code (`SQLITE_CONSTRAINT_UNIQUE`, `23505`, `ECONNREFUSED`…) in `driverCode`, for logs.
 */
export class DataError extends SmarterError {
  /** The driver's error code, when it had one; never a message. */
  readonly driverCode: string | undefined;

  constructor(code: DataErrorCode, driverCode?: string) {
    const [title, status] = TITLES[code];
    super(code, title, { status });
    this.name = 'DataError';
    this.driverCode = driverCode;
  }
}

const CONFLICT_CODES = /^(?:23505|23503|SQLITE_CONSTRAINT(?:_\w+)?)$/;
const CONFLICT_MESSAGES = /UNIQUE constraint failed|PRIMARY KEY constraint failed|FOREIGN KEY constraint failed/i;
const UNAVAILABLE_CODES =
  /^(?:ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EPIPE|CONNECT_TIMEOUT|CONNECTION_\w+|57P0\d|53300|SQLITE_BUSY\w*|SQLITE_LOCKED\w*|SQLITE_CANTOPEN|SQLITE_FULL|SQLITE_IOERR\w*)$/;
const UNAVAILABLE_MESSAGES = /database is locked|connection (?:is )?closed|not open|database has closed|ECONNREFUSED/i;

function codesAndMessages(error: unknown): { codes: string[]; messages: string[] } {
  const codes: string[] = [];
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const record = current as { code?: unknown; errcode?: unknown; message?: unknown; cause?: unknown };
    if (typeof record.code === 'string' || typeof record.code === 'number') codes.push(String(record.code));
    if (typeof record.errcode === 'number') codes.push(String(record.errcode));
    if (typeof record.message === 'string') messages.push(record.message);
    current = record.cause;
  }
  return { codes, messages };
}

/** Classifies any driver error as a {@link DataError}, dropping its message (which may hold SQL or values). */
export function toDataError(error: unknown): DataError {
  // Drizzle wraps what a proxy driver threw; an inner DataError already says what happened.
  for (let e: unknown = error, depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth += 1) {
    if (e instanceof DataError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  const { codes, messages } = codesAndMessages(error);
  const safeCode = codes.find((c) => /^[A-Z0-9_]{2,40}$/.test(c));
  // node:sqlite reports extended result codes as numbers: 1555 PRIMARYKEY, 2067 UNIQUE, 787 FOREIGNKEY.
  if (codes.some((c) => CONFLICT_CODES.test(c) || c === '2067' || c === '1555' || c === '787')) {
    return new DataError('DATA_CONFLICT', safeCode);
  }
  if (messages.some((m) => CONFLICT_MESSAGES.test(m))) return new DataError('DATA_CONFLICT', safeCode);
  if (codes.some((c) => UNAVAILABLE_CODES.test(c)) || messages.some((m) => UNAVAILABLE_MESSAGES.test(m))) {
    return new DataError('DATA_UNAVAILABLE', safeCode);
  }
  return new DataError('DATA_FAILED', safeCode);
}

/** Runs a driver call and turns any driver error into a {@link DataError}. */
export async function wrapDriver<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toDataError(error);
  }
}
