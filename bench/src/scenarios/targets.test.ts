import { describe, expect, it } from 'vitest';
import { summarize } from '../lib/stats.ts';
import type { CaseReport } from '../micro/child.ts';
import { FLOOD_RATE, floodCeiling, marginalFloodCpuUs } from './attack.ts';
import type { Cell, MatrixResult } from './http-matrix.ts';
import { microTargets } from './micro.ts';
import { peerTargets } from './peers.ts';

function matrix(rps: Record<string, number>, unavailable: Record<string, string> = {}): MatrixResult {
  const cells: Cell[] = Object.entries(rps).map(([server, value]) => ({
    server,
    route: 'json',
    samples: [],
    rps: summarize([value]),
    p50: summarize([1]),
    p99: summarize([2]),
    cpuUs: summarize([10]),
  }));
  return {
    cells,
    unavailable: new Map(Object.entries(unavailable)),
    cell: (s, r) => cells.find((c) => c.server === s && c.route === r),
  };
}

describe('peer targets', () => {
  it('passes and misses on the ratios of the same run', () => {
    const [bare, express, hono] = peerTargets(
      matrix({ 'bare-hono': 10_000, express: 1_000, 'hono-builtins': 2_000, smarter: 8_000 }),
    );
    expect(bare).toMatchObject({ measured: '0.80×', pass: true });
    expect(bare!.measured).toBe('0.80×');
    expect(express).toMatchObject({ measured: '8.00×', pass: true });
    expect(hono).toMatchObject({ measured: '4.00×', pass: false });
  });

  it('reports N/A with the reason when the preset could not run', () => {
    const targets = peerTargets(
      matrix({ 'bare-hono': 10_000, express: 1_000 }, { smarter: 'not available yet: no smarter()' }),
    );
    expect(targets.every((t) => t.pass === null)).toBe(true);
    expect(targets[0]!.measured).toBe('not available yet: no smarter()');
  });
});

describe('peer targets with the headers-only reference', () => {
  it('shows what the headers alone keep next to the preset ratio', () => {
    const [bare] = peerTargets(
      matrix({ 'bare-hono': 10_000, 'bare-headers': 8_300, express: 1_000, 'hono-builtins': 2_000, smarter: 6_000 }),
    );
    expect(bare).toMatchObject({ measured: '0.60× (the headers alone, no guard: 0.83×)', pass: false });
  });
});

describe('micro targets', () => {
  const report = (id: string, median: number): CaseReport => ({
    id,
    group: 'g',
    label: id,
    ns: { median, min: median, max: median, n: 3 },
  });

  it('checks each limit in nanoseconds and formats the figure', () => {
    const [path, warm, cold] = microTargets([
      report('path-canonical-match', 250),
      report('key-verify-warm', 6_000),
      report('key-verify-cold', 29_000),
    ]);
    expect(path).toMatchObject({ measured: '250 ns', pass: true });
    expect(warm).toMatchObject({ measured: '6.00 µs', pass: false });
    expect(cold).toMatchObject({ measured: '29.0 µs', pass: true });
  });

  it('is N/A with the case’s own reason when it did not run', () => {
    const [path] = microTargets([{ id: 'path-canonical-match', group: 'g', label: 'x', unavailable: 'not yet' }]);
    expect(path).toMatchObject({ measured: 'not yet', pass: null });
  });
});

describe('flood ceiling', () => {
  it('is the share of the core a flood leaves at its rate', () => {
    expect(floodCeiling(50, FLOOD_RATE)).toBeCloseTo(0.9, 10);
    expect(floodCeiling(60, FLOOD_RATE)).toBeCloseTo(0.88, 10);
    expect(floodCeiling(0, FLOOD_RATE)).toBe(1);
    expect(floodCeiling(600, FLOOD_RATE)).toBe(0);
  });
});

describe('marginal flood cost', () => {
  it('is the CPU the flood added beyond the legitimate requests at their unflooded cost', () => {
    // 5 s window: 100,000 legit requests at 20 µs each, 10,000 flood requests; 2.6 s of CPU in all.
    expect(marginalFloodCpuUs(2_600_000, 100_000, 20, 10_000)).toBeCloseTo(60, 10);
    expect(marginalFloodCpuUs(2_000_000, 100_000, 20, 10_000)).toBe(0);
    expect(marginalFloodCpuUs(1_000, 10, 20, 0)).toBeNaN();
  });
});
