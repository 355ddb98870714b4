import { SmarterError } from '@smarter/security';

/** A database failure with no SQL, parameters or driver message in what it renders. */
export class DataError extends SmarterError {
  constructor(code: 'DATA_UNAVAILABLE' | 'DATA_CONFLICT' | 'DATA_FAILED', cause?: unknown) {
    super(code, code === 'DATA_CONFLICT' ? 'Conflict' : 'Service unavailable', {
      status: code === 'DATA_CONFLICT' ? 409 : 503,
      cause,
    });
    this.name = 'DataError';
  }
}

/** Runs a driver call and turns any driver error into a {@link DataError}. */
export async function wrapDriver<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError('DATA_FAILED', error);
  }
}
