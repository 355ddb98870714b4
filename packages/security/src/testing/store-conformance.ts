import { describe, expect, it } from 'vitest';
import type { Store } from '../store/store.ts';

/** What a store factory hands the suite: the store, and a way to move its clock forward. */
export interface StoreUnderTest {
  readonly store: Store;
  /** Moves the store's notion of time forward by `ms` (an injected clock; never a sleep). */
  advance(ms: number): Promise<void> | void;
  /** Frees the store (close connections, drop keys). */
  close?(): Promise<void> | void;
}

/**
 * The behaviour every {@link Store} must have (memory, Redis, SQL, Durable Objects). Call it inside a test file;
 * `create` is called once per test with a unique key prefix so tests never share keys.
 *
 * @example
 * storeConformance('memory', () => { const clock = fakeClock(); return { store: memoryStore({ now: clock.now }), advance: clock.advance }; });
 */
export function storeConformance(name: string, create: () => Promise<StoreUnderTest> | StoreUnderTest): void {
  let n = 0;
  // Fixed once: a key must name the same entry for the whole test, however slow the store is.
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const key = (k: string) => `conformance:${run}:${n}:${k}`;

  const withStore = (fn: (s: StoreUnderTest) => Promise<void>) => async () => {
    n += 1;
    const s = await create();
    try {
      await fn(s);
    } finally {
      await s.close?.();
    }
  };

  describe(`Store conformance: ${name}`, () => {
    it(
      'increment starts a fixed window at 1 and counts up within it',
      withStore(async ({ store }) => {
        const first = await store.increment(key('c'), 60_000);
        const second = await store.increment(key('c'), 60_000);
        expect(first.count).toBe(1);
        expect(second.count).toBe(2);
        expect(second.resetAt).toBe(first.resetAt);
        expect(first.resetAt).toBeGreaterThan(0);
      }),
    );

    it(
      'a window expires by the clock and the next increment starts again at 1',
      withStore(async ({ store, advance }) => {
        const first = await store.increment(key('w'), 1_000);
        await advance(999);
        expect((await store.increment(key('w'), 1_000)).count).toBe(2);
        await advance(2);
        const next = await store.increment(key('w'), 1_000);
        expect(next.count).toBe(1);
        expect(next.resetAt).toBeGreaterThan(first.resetAt);
      }),
    );

    it(
      'getNow, when a store offers it, answers exactly as get does, expiry included',
      withStore(async ({ store, advance }) => {
        const getNow = store.getNow;
        if (getNow === undefined) {
          // A store without an in-process read: guards always take the asynchronous path, which the rest checks.
          expect(store.getNow).toBeUndefined();
          return;
        }
        expect(getNow(key('g'))).toBeUndefined();
        await store.set(key('g'), 'v', 1_000);
        expect(getNow(key('g'))).toBe('v');
        expect(getNow(key('g'))).toBe(await store.get(key('g')));
        await advance(1_001);
        expect(getNow(key('g'))).toBeUndefined();
        expect(await store.get(key('g'))).toBeUndefined();
      }),
    );

    it(
      'concurrent increments are atomic: N callers see exactly 1..N',
      withStore(async ({ store }) => {
        const results = await Promise.all(Array.from({ length: 50 }, () => store.increment(key('a'), 60_000)));
        expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      }),
    );

    it(
      'get/set/delete round-trip, and missing keys are undefined',
      withStore(async ({ store }) => {
        expect(await store.get(key('missing'))).toBeUndefined();
        await store.set(key('k'), 'v1');
        expect(await store.get(key('k'))).toBe('v1');
        await store.set(key('k'), 'v2');
        expect(await store.get(key('k'))).toBe('v2');
        await store.delete(key('k'));
        expect(await store.get(key('k'))).toBeUndefined();
        await store.delete(key('never-set'));
      }),
    );

    it(
      'set with a TTL expires by the clock; without a TTL it stays',
      withStore(async ({ store, advance }) => {
        await store.set(key('t'), 'short', 500);
        await store.set(key('p'), 'forever');
        await advance(499);
        expect(await store.get(key('t'))).toBe('short');
        await advance(2);
        expect(await store.get(key('t'))).toBeUndefined();
        await advance(10 * 365 * 24 * 3600 * 1000);
        expect(await store.get(key('p'))).toBe('forever');
      }),
    );

    it(
      'setIfAbsent sets once, refuses while present, and succeeds again after expiry',
      withStore(async ({ store, advance }) => {
        expect(await store.setIfAbsent(key('s'), 'a', 1_000)).toBe(true);
        expect(await store.setIfAbsent(key('s'), 'b', 1_000)).toBe(false);
        expect(await store.get(key('s'))).toBe('a');
        await advance(1_001);
        expect(await store.setIfAbsent(key('s'), 'c', 1_000)).toBe(true);
        expect(await store.get(key('s'))).toBe('c');
      }),
    );

    it(
      'concurrent setIfAbsent has exactly one winner',
      withStore(async ({ store }) => {
        const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent(key('race'), `${i}`)));
        expect(wins.filter(Boolean)).toHaveLength(1);
      }),
    );

    it(
      'set without a TTL over a key that had one clears the old expiry',
      withStore(async ({ store, advance }) => {
        await store.set(key('o'), 'old', 500);
        await store.set(key('o'), 'new');
        await advance(1_000);
        expect(await store.get(key('o'))).toBe('new');
      }),
    );

    it(
      'delete resets a counter, and an expired value does not block a new counter',
      withStore(async ({ store, advance }) => {
        await store.increment(key('d'), 60_000);
        await store.increment(key('d'), 60_000);
        await store.delete(key('d'));
        expect((await store.increment(key('d'), 60_000)).count).toBe(1);
        await store.set(key('e'), 'v', 100);
        await advance(101);
        expect((await store.increment(key('e'), 60_000)).count).toBe(1);
      }),
    );

    it(
      'keys are independent and values keep arbitrary text',
      withStore(async ({ store }) => {
        const text = 'ünïcode ✓ "quotes" \n newline';
        await store.set(key('x'), text);
        await store.increment(key('y'), 60_000);
        expect(await store.get(key('x'))).toBe(text);
        expect((await store.increment(key('z'), 60_000)).count).toBe(1);
      }),
    );
  });
}

/** A manual clock for tests: `now()` for the store, `advance(ms)` for the suite. */
export function fakeClock(start: number = Date.UTC(2026, 0, 1)): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

/** A store whose every operation fails, as one whose server is down: for the fail-closed tests of the guards. */
export function unavailableStore(): Store {
  const down = () => Promise.reject(new Error('store unavailable'));
  return { increment: down, get: down, set: down, setIfAbsent: down, delete: down };
}
