import { SmarterError } from '@smarter/security';

/** Stable codes of provider failures. */
export type ProviderErrorCode =
  | 'PROVIDER_UNAVAILABLE'
  | 'PROVIDER_TIMEOUT'
  | 'PROVIDER_RATE_LIMITED'
  | 'PROVIDER_REJECTED'
  | 'PROVIDER_BAD_RESPONSE';

const STATUS: Readonly<Record<ProviderErrorCode, number>> = {
  PROVIDER_UNAVAILABLE: 502,
  PROVIDER_TIMEOUT: 504,
  PROVIDER_RATE_LIMITED: 503,
  PROVIDER_REJECTED: 502,
  PROVIDER_BAD_RESPONSE: 502,
};

const TITLE: Readonly<Record<ProviderErrorCode, string>> = {
  PROVIDER_UNAVAILABLE: 'The language model provider is unavailable',
  PROVIDER_TIMEOUT: 'The language model provider did not answer in time',
  PROVIDER_RATE_LIMITED: 'The language model provider is busy; try again later',
  PROVIDER_REJECTED: 'The language model provider refused the request',
  PROVIDER_BAD_RESPONSE: 'The language model provider sent an invalid answer',
};

/**
 * A provider failure, safe to render: the title is fixed per code; the provider's own message, status and body are
 * never part of it (they may hold the request, the key or internal hosts). `upstreamStatus` is kept for logs.
 */
export class ProviderError extends SmarterError {
  readonly upstreamStatus: number | undefined;
  /** Seconds the client should wait (from the provider's Retry-After), when known. */
  readonly retryAfter: number | undefined;

  constructor(
    code: ProviderErrorCode,
    options: { upstreamStatus?: number; retryAfter?: number | undefined; cause?: unknown } = {},
  ) {
    super(code, TITLE[code], { status: STATUS[code], cause: options.cause });
    this.name = 'ProviderError';
    this.upstreamStatus = options.upstreamStatus;
    this.retryAfter = options.retryAfter;
  }
}
