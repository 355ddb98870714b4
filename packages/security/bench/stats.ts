/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Runs `fn` over `inputs` for `rounds` rounds and returns the median and best ns per call. */
export function nsPerCall<T>(
  inputs: readonly T[],
  fn: (input: T) => unknown,
  rounds = 21,
  loops = 20,
): { median: number; best: number } {
  let sink = 0;
  // Warm up (about 100k calls) so the optimising JIT has compiled the hot path before anything is measured.
  const warmup = Math.ceil(100_000 / inputs.length);
  for (let i = 0; i < warmup; i++) for (const input of inputs) if (fn(input)) sink++;
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let l = 0; l < loops; l++) for (const input of inputs) if (fn(input)) sink++;
    samples.push(Number(process.hrtime.bigint() - start) / (loops * inputs.length));
  }
  if (sink === -1) console.log(sink);
  return { median: Math.round(median(samples)), best: Math.round(Math.min(...samples)) };
}
