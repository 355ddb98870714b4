import { describe, expect, it } from 'vitest';
import { SmarterConfigError } from '../../errors/smarter-error.ts';
import { fakeClock, storeConformance } from '../../testing/store-conformance.ts';
import { memoryStore, resolveMemoryStoreOptions } from './memory-store.ts';

storeConformance('memory', () => {
  const clock = fakeClock();
  return { store: memoryStore({ now: clock.now }), advance: clock.advance };
});

describe('memoryStore', () => {
  it('never holds more than maxEntries and evicts an entry not used since it was written', async () => {
    const store = memoryStore({ maxEntries: 3 });
    await store.set('a', '1');
    await store.set('b', '2');
    await store.set('c', '3');
    expect(await store.get('a')).toBe('1'); // a is used again; b and c are not
    await store.increment('d', 1000);
    expect(store.size).toBe(3);
    expect(await store.get('a')).toBe('1');
    expect((await store.get('d')) === '1').toBe(true);
    const survivors = [await store.get('b'), await store.get('c')].filter((v) => v !== undefined);
    expect(survivors).toHaveLength(1);
    for (let i = 0; i < 1000; i++) await store.increment(`k${i}`, 1000);
    expect(store.size).toBe(3);
  });

  it('drops expired entries when touched', async () => {
    const clock = fakeClock();
    const store = memoryStore({ now: clock.now });
    await store.set('t', 'x', 10);
    clock.advance(10);
    expect(await store.get('t')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('validates its options', () => {
    expect(resolveMemoryStoreOptions().maxEntries).toBe(100_000);
    expect(() => resolveMemoryStoreOptions({ maxEntries: 0 })).toThrow(SmarterConfigError);
    expect(() => resolveMemoryStoreOptions({ maxEntry: 5 } as never)).toThrow(/unknown option "maxEntry"/);
  });
});
