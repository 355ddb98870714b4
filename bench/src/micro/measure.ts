// The micro-benchmark loop: warm up, calibrate a batch size that takes about `sampleMs`, then time `samples`
// batches and report nanoseconds per operation (median with min–max). The default clock is this process's CPU
// time, not wall time: on a shared machine another job's time slices would otherwise count as ours. Injectable
// for tests.
import { performance } from 'node:perf_hooks';
import { type Summary, summarize } from '../lib/stats.ts';

/** Options of one measurement. */
export interface MeasureOptions {
  readonly samples: number;
  readonly sampleMs: number;
  /** Milliseconds since an arbitrary origin. @default this thread's CPU time ({@link cpuNow}) */
  readonly now?: () => number;
}

/** The operation under test: sync or async (an async one is awaited each time). */
export type Operation = (i: number) => unknown;

/**
 * CPU time of this process in milliseconds (user + system, microsecond precision): time slices taken by other jobs
 * on a shared core do not count, unlike wall time.
 */
export function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

async function batch(op: Operation, n: number, async: boolean, now: () => number): Promise<number> {
  const t0 = now();
  if (async) {
    for (let i = 0; i < n; i++) await op(i);
  } else {
    let sink: unknown;
    for (let i = 0; i < n; i++) sink = op(i);
    if (sink === batch) throw new Error('unreachable: keeps the result alive');
  }
  return now() - t0;
}

/** Measures an operation; returns nanoseconds per call. */
export async function measure(op: Operation, options: MeasureOptions): Promise<Summary> {
  const now = options.now ?? cpuNow;
  const async = isThenable(op(0));
  if (async) await op(0);
  // Warm up (at least 1,000 calls and two samples' worth of time), so a cold first call cannot skew calibration.
  let spent = 0;
  let calls = 0;
  for (let n = 16; spent < 2 * options.sampleMs || calls < 1000; n = Math.min(n * 2, 1 << 20)) {
    spent += await batch(op, n, async, now);
    calls += n;
  }
  // Calibrate: double the batch until it takes a quarter of a sample, then scale to a whole sample.
  let n = 16;
  for (;;) {
    const ms = await batch(op, n, async, now);
    if (ms >= options.sampleMs / 4 || n >= 1 << 24) {
      n = Math.max(16, Math.round((n * options.sampleMs) / Math.max(ms, 1e-6)));
      break;
    }
    n *= 2;
  }
  const perOp: number[] = [];
  for (let s = 0; s < options.samples; s++) {
    const ms = await batch(op, n, async, now);
    perOp.push((ms * 1e6) / n);
  }
  return summarize(perOp);
}

/**
 * Times a slow operation (a password hash, tens of milliseconds) call by call in wall time, after one warm-up call:
 * what a user waits for, whatever threads do the work.
 */
export async function measureSlow(
  op: Operation,
  samples: number,
  now: () => number = () => performance.now(),
): Promise<Summary> {
  await op(0);
  const ns: number[] = [];
  for (let i = 1; i <= samples; i++) {
    const t0 = now();
    await op(i);
    ns.push((now() - t0) * 1e6);
  }
  return summarize(ns);
}
