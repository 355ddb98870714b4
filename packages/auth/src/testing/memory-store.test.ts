import { fakeClock, storeConformance } from '@smarter/security/testing';
import { memoryTestStore } from './memory-store.ts';

storeConformance('auth memory test store', () => {
  const clock = fakeClock();
  return { store: memoryTestStore({ now: clock.now }), advance: clock.advance };
});
