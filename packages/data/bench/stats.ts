/** Median and percentiles of samples in nanoseconds, printed in microseconds. */
export function summary(samples: bigint[]): { median: number; p90: number; p99: number } {
  const sorted = samples.map(Number).sort((a, b) => a - b);
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) / 1000;
  return { median: at(0.5), p90: at(0.9), p99: at(0.99) };
}
