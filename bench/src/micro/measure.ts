// The micro-benchmark loop: warm up, calibrate a batch size that takes about `sampleMs`, then time `samples`
// batches and report nanoseconds per operation (median with min–max). The clock is injectable for tests.
import { performance } from 'node:perf_hooks';
import { type Summary, summarize } from '../lib/stats.ts';

/** Options of one measurement. */
export interface MeasureOptions {
  readonly samples: number;
  readonly sampleMs: number;
  /** Milliseconds since an arbitrary origin. @default performance.now */
  readonly now?: () => number;
}

/** The operation under test: sync or async (an async one is awaited each time). */
export type Operation = (i: number) => unknown;

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
  const now = options.now ?? (() => performance.now());
  const async = isThenable(op(0));
  if (async) await op(0);
  // Warm up and calibrate: double the batch until it takes at least a quarter of a sample.
  let n = 1;
  for (;;) {
    const ms = await batch(op, n, async, now);
    if (ms >= options.sampleMs / 4 || n >= 1 << 24) {
      n = Math.max(1, Math.round((n * options.sampleMs) / Math.max(ms, 1e-6)));
      break;
    }
    n *= 2;
  }
  await batch(op, n, async, now);
  const perOp: number[] = [];
  for (let s = 0; s < options.samples; s++) {
    const ms = await batch(op, n, async, now);
    perOp.push((ms * 1e6) / n);
  }
  return summarize(perOp);
}
