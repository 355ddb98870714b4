/** One closed-loop load run: N connections as fast as the server answers, for a bounded time. */
export interface LoadSpec {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly connections: number;
  readonly durationSec: number;
  /**
   * Send a fresh client address in X-Forwarded-For on every request (10.x.y.z), so a server that trusts its loopback
   * proxy sees many clients: a 404 route then measures the 404 path, not a banned client's 403.
   */
  readonly rotateForwardedFor?: boolean;
}

/**
 * A flood at a fixed rate from one or many client addresses (sent as X-Forwarded-For), paced by the clock, with at
 * most `connections` requests in flight (turns that find them all waiting are skipped).
 */
export interface FloodSpec {
  readonly baseUrl: string;
  readonly rate: number;
  readonly durationSec: number;
  readonly connections: number;
  /** Where the window the achieved rate is counted in starts, in seconds from the flood's start. @default 0 */
  readonly measureFromSec?: number;
  /** How long that window is, in seconds. @default durationSec */
  readonly measureSec?: number;
  /** `random-404`: unknown random paths; `sensitive`: probes such as `/.env` and `/.git/config`. */
  readonly paths: 'random-404' | 'sensitive';
  /** `one`: every request from the same address; `many`: a fresh address per request (never reaches a threshold). */
  readonly addresses: 'one' | 'many';
  /** The address of a one-address flood. @default SINGLE_FLOOD_ADDRESS */
  readonly address?: string;
}

/** What a load run measured. Latencies in milliseconds (the paced flood measures none: NaN). */
export interface LoadResult {
  readonly generator: 'wrk' | 'autocannon' | 'paced';
  readonly requests: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly non2xx: number;
  /** Status code counts (autocannon and the paced flood; wrk reports only non-2xx). */
  readonly statuses?: Readonly<Record<string, number>>;
}
