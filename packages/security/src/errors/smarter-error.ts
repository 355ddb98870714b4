/** Brand shared by every copy of the package, so `isSmarterError` works across duplicate installs. */
const BRAND = Symbol.for('smarter.error');

/** Options accepted by every Smarter error. */
export interface SmarterErrorOptions {
  /** HTTP status used when the error is rendered as problem+json. */
  readonly status?: number;
  /** A short, safe, human sentence. Never echoes input, paths, SQL or secrets. */
  readonly detail?: string;
  /** The underlying error, kept for logs only; never rendered. */
  readonly cause?: unknown;
}

/**
 * Base of every error Smarter throws. `code` is a stable UPPER_SNAKE identifier that clients and tests rely on.
 *
 * @example
 * throw new SmarterError('INVALID_HOST', 'Invalid host', { status: 400 });
 */
export class SmarterError extends Error {
  readonly code: string;
  readonly status: number;
  readonly detail: string | undefined;

  constructor(code: string, title: string, options: SmarterErrorOptions = {}) {
    super(title, options.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, BRAND, { value: true });
    this.name = 'SmarterError';
    this.code = code;
    this.status = options.status ?? 500;
    this.detail = options.detail;
  }
}

/** Thrown at construction when options are misspelled or unsafe; the message says what to write instead. */
export class SmarterConfigError extends SmarterError {
  constructor(message: string) {
    super('CONFIG_INVALID', message, { status: 500 });
    this.name = 'SmarterConfigError';
  }
}

/** True for any Smarter error, including ones thrown by another copy of the package. */
export function isSmarterError(value: unknown): value is SmarterError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
