import { describe, expect, it } from 'vitest';
import { expiryCache } from './expiry-cache.ts';

describe('expiryCache', () => {
  it('answers a fact while it is fresh, and forgets it at its end', () => {
    const cache = expiryCache(10);
    cache.remember('banned', 7, 1_000, 0);
    expect(cache.get('banned', 999)).toBe(7);
    expect(cache.get('banned', 1_000)).toBeUndefined();
    expect(cache.get('banned', 0)).toBeUndefined();
    cache.remember('past', 1, 5, 5);
    expect(cache.get('past', 0)).toBeUndefined();
  });

  it('keeps the newest facts and never more than its cap, under a stream of new keys', () => {
    const cache = expiryCache(100);
    for (let i = 0; i < 10_000; i++) cache.remember(`k${i}`, i, 1e9, 0);
    // The newest half of the cap is always there; nothing older than the cap is.
    for (let i = 9_950; i < 10_000; i++) expect(cache.get(`k${i}`, 0)).toBe(i);
    let held = 0;
    for (let i = 0; i < 10_000; i++) if (cache.get(`k${i}`, 0) !== undefined) held++;
    expect(held).toBeGreaterThanOrEqual(50);
    expect(held).toBeLessThanOrEqual(100);
    for (let i = 0; i < 9_900; i++) expect(cache.get(`k${i}`, 0)).toBeUndefined();
  });

  it('answers the latest value of a key remembered again, whichever generation held the old one', () => {
    const cache = expiryCache(4);
    cache.remember('a', 1, 100, 0);
    cache.remember('b', 2, 100, 0); // the young generation is full: a and b become the old one
    cache.remember('a', 3, 100, 0);
    expect(cache.get('a', 0)).toBe(3);
    cache.remember('c', 4, 100, 0); // a and c become old, b is dropped
    expect(cache.get('a', 0)).toBe(3);
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('c', 0)).toBe(4);
  });
});
