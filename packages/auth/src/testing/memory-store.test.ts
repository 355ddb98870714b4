import { fakeClock } from '@smarter/security/testing';
import { describe, expect, it } from 'vitest';
import { memoryTestStore } from './memory-store.ts';

// Not run through @smarter/security's storeConformance: its key() helper reads Date.now() on every call, so a
// millisecond tick inside one test splits its keys (reported to the lead). The behaviour auth relies on is checked here.
describe('memoryTestStore', () => {
  it('counts in fixed windows by the injected clock', async () => {
    const clock = fakeClock();
    const store = memoryTestStore({ now: clock.now });
    expect(await store.increment('c', 1000)).toEqual({ count: 1, resetAt: clock.now() + 1000 });
    expect((await store.increment('c', 1000)).count).toBe(2);
    clock.advance(1000);
    expect((await store.increment('c', 1000)).count).toBe(1);
  });

  it('expires values, sets once with setIfAbsent, deletes', async () => {
    const clock = fakeClock();
    const store = memoryTestStore({ now: clock.now });
    await store.set('t', 'v', 500);
    await store.set('p', 'forever');
    expect(await store.setIfAbsent('t', 'w', 500)).toBe(false);
    clock.advance(500);
    expect(await store.get('t')).toBeUndefined();
    expect(await store.setIfAbsent('t', 'w', 500)).toBe(true);
    expect(await store.get('t')).toBe('w');
    await store.delete('p');
    expect(await store.get('p')).toBeUndefined();
  });

  it('rejects every operation while failing', async () => {
    const store = memoryTestStore();
    store.failing = true;
    await expect(store.get('x')).rejects.toThrow();
    await expect(store.increment('x', 1000)).rejects.toThrow();
    await expect(store.setIfAbsent('x', 'y')).rejects.toThrow();
  });
});
