// Run sizes: the full run (under 15 minutes) and the quick mode CI uses (under 2 minutes).

/** How long and how often each measurement runs. */
export interface Settings {
  readonly mode: 'full' | 'quick';
  /** Interleaved rounds (A B A B …); figures are medians over rounds. */
  readonly rounds: number;
  /** Seconds of load per measurement. */
  readonly durationSec: number;
  /** Seconds of load per server and route before the first round. */
  readonly warmupSec: number;
  /** Concurrent connections of a closed-loop run. */
  readonly connections: number;
  /** Seconds per attack-scenario measurement. */
  readonly attackSec: number;
  /** Samples per micro-benchmark (each a timed batch); the median is reported. */
  readonly microSamples: number;
  /** Target wall time of one micro-benchmark sample. */
  readonly microSampleMs: number;
  /** Key counts of the memory-store benchmark. */
  readonly storeSizes: readonly number[];
}

/** The full run. */
export const FULL: Settings = {
  mode: 'full',
  rounds: 3,
  durationSec: 3,
  warmupSec: 1,
  connections: 16,
  attackSec: 5,
  microSamples: 25,
  microSampleMs: 20,
  storeSizes: [1_000, 100_000, 1_000_000],
};

/** The quick mode: proves the harness works end to end; its figures are not published. */
export const QUICK: Settings = {
  mode: 'quick',
  rounds: 1,
  durationSec: 1,
  warmupSec: 0,
  connections: 16,
  attackSec: 1,
  microSamples: 7,
  microSampleMs: 5,
  storeSizes: [1_000, 10_000],
};
