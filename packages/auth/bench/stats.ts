/** Median of a list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Runs `fn` in batches and returns the median time per call in microseconds. */
export async function microsPerCall(fn: () => Promise<unknown>, batches = 200, perBatch = 500): Promise<number> {
  for (let i = 0; i < 2000; i++) await fn(); // warm up the JIT and caches
  const samples: number[] = [];
  for (let b = 0; b < batches; b++) {
    const start = performance.now();
    for (let i = 0; i < perBatch; i++) await fn();
    samples.push(((performance.now() - start) * 1000) / perBatch);
  }
  return median(samples);
}

/** The runtime's name. */
export function runtimeName(): string {
  const g = globalThis as { Bun?: unknown; Deno?: unknown; process?: { versions?: { node?: string } } };
  if (g.Bun) return 'bun';
  if (g.Deno) return 'deno';
  return `node ${g.process?.versions?.node ?? ''}`.trim();
}
