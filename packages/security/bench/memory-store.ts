// Memory store: per-operation cost at 1k and 1M keys, and memory with one million distinct client keys.
// Run (seconds on an idle machine): cd apps/api && node --expose-gc --import tsx ../../packages/security/bench/memory-store.ts
import { type MemoryStore, memoryStore } from '../src/stores/memory/memory-store.ts';
import { median } from './stats.ts';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
// Keys shaped like the guards' own (`smarter:notfound:<client key>`), built by concatenation as they are.
const keyOf = (i: number) => `smarter:notfound:${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}.${i % 7}`;

/** Median ns per awaited `increment` on existing keys, spread over the whole key space. */
async function opNs(store: MemoryStore, keys: number): Promise<number> {
  const sample = Array.from({ length: 20_000 }, (_, i) => keyOf((i * 7919) % keys));
  const samples: number[] = [];
  for (let r = 0; r < 7; r++) {
    const start = process.hrtime.bigint();
    for (const key of sample) await store.increment(key, 600_000);
    samples.push(Number(process.hrtime.bigint() - start) / sample.length);
  }
  return Math.round(median(samples));
}

async function fill(keys: number, cap: number): Promise<{ store: MemoryStore; heapMb: number; rssMb: number }> {
  gc();
  const before = process.memoryUsage();
  const store = memoryStore({ maxEntries: cap });
  for (let i = 0; i < keys; i++) await store.increment(keyOf(i), 600_000);
  gc();
  const after = process.memoryUsage();
  return {
    store,
    heapMb: Math.round((after.heapUsed - before.heapUsed) / 1e6),
    rssMb: Math.round((after.rss - before.rss) / 1e6),
  };
}

// Printed step by step so a slow, shared machine still shows partial results.
const started = Date.now();
const small = await fill(1_000, 1_000);
console.log(JSON.stringify({ node: process.version, incrementNsAt1k: await opNs(small.store, 1_000) }));
const million = await fill(1_000_000, 1_000_000);
console.log(
  JSON.stringify({
    millionKeys: {
      size: million.store.size,
      heapMb: million.heapMb,
      rssGrowthMb: million.rssMb,
      // The records live outside the JS heap (one ArrayBuffer), so RSS is the figure that counts.
      rssBytesPerEntry: Math.round((million.rssMb * 1e6) / million.store.size),
    },
  }),
);
console.log(JSON.stringify({ incrementNsAt1M: await opNs(million.store, 1_000_000) }));
const capped = await fill(1_000_000, 100_000);
console.log(JSON.stringify({ millionKeysIntoDefaultCap: { cap: 100_000, size: capped.store.size } }));
console.log(JSON.stringify({ seconds: (Date.now() - started) / 1000 }));
