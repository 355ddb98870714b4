import { describe, expect, it } from 'vitest';
import { measure, measureSlow } from './measure.ts';

describe('micro-benchmark loop', () => {
  it('reports nanoseconds per call from a clock that only the operation advances', async () => {
    let t = 0;
    const calls: number[] = [];
    const summary = await measure(
      (i) => {
        calls.push(i);
        t += 250e-6; // 250 ns in milliseconds
      },
      { samples: 5, sampleMs: 1, now: () => t },
    );
    expect(summary.n).toBe(5);
    expect(summary.median).toBeCloseTo(250, 6);
    expect(summary.min).toBeCloseTo(250, 6);
    expect(summary.max).toBeCloseTo(250, 6);
    // batches ran with growing indices, and more than the five samples' worth (warm-up and calibration first)
    expect(calls.length).toBeGreaterThan(5 * 4000);
  });

  it('awaits asynchronous operations', async () => {
    let t = 0;
    let settled = 0;
    const summary = await measure(
      async () => {
        await Promise.resolve();
        t += 1e-3; // 1 µs
        settled++;
      },
      { samples: 3, sampleMs: 0.5, now: () => t },
    );
    expect(summary.median).toBeCloseTo(1000, 6);
    expect(settled).toBeGreaterThan(3 * 500);
  });
});

describe('slow operations', () => {
  it('times each call after one warm-up call, in nanoseconds', async () => {
    let t = 0;
    const seen: number[] = [];
    const summary = await measureSlow(
      async (i) => {
        seen.push(i);
        t += i === 0 ? 500 : 80; // the warm-up call is slow and must not count
      },
      5,
      () => t,
    );
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    expect(summary).toEqual({ median: 80e6, min: 80e6, max: 80e6, n: 5 });
  });
});
