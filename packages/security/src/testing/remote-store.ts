import type { Store } from '../store/store.ts';

/** Calls a {@link remoteStore} received, by operation. */
export interface StoreCalls {
  get: number;
  increment: number;
}

/**
 * A store as a shared one (Redis, SQL, Durable Objects) looks to the guards: the memory store's state, reached only
 * through its promise-returning operations (no in-process `getNow`), with each call counted. For tests of what the
 * guards ask a shared store.
 */
export function remoteStore(store: Store): { readonly store: Store; readonly calls: StoreCalls } {
  const calls: StoreCalls = { get: 0, increment: 0 };
  return {
    calls,
    store: {
      increment(key, windowMs) {
        calls.increment += 1;
        return store.increment(key, windowMs);
      },
      get(key) {
        calls.get += 1;
        return store.get(key);
      },
      set: (key, value, ttlMs) => store.set(key, value, ttlMs),
      setIfAbsent: (key, value, ttlMs) => store.setIfAbsent(key, value, ttlMs),
      delete: (key) => store.delete(key),
    },
  };
}
