/**
 * Facts with an end that this process may answer from memory instead of asking a shared store again: "this client
 * is banned until T", "this client is over its limit until the window ends". Bounded: past `maxEntries` the oldest
 * entries go (they are asked for again, nothing worse). About 150 bytes an entry with a 40-character key.
 */
export interface ExpiryCache {
  /** The value remembered for `key`, while it is fresh at `now`. */
  get(key: string, now: number): number | undefined;
  /** Remembers `value` for `key` until `expiresAt` (nothing is kept when that is not after `now`). */
  remember(key: string, value: number, expiresAt: number, now: number): void;
}

interface Remembered {
  readonly value: number;
  readonly expiresAt: number;
}

/**
 * An {@link ExpiryCache} of at most `maxEntries` keys, in two generations of half the cap each: new facts go to the
 * young one, and when it is full it becomes the old one and the old one is dropped whole. No operation iterates. A
 * single map trimmed by deleting its first key (`keys().next()`) costs more the longer it runs: V8 leaves the deleted
 * entries at the front until the map is rebuilt, and every trim walks past them again (measured: 8 µs a fact at a cap
 * of 10,000 once a stream of new keys had turned it over, 300 µs at 100,000).
 */
export function expiryCache(maxEntries: number): ExpiryCache {
  const half = Math.max(1, Math.floor(maxEntries / 2));
  let young = new Map<string, Remembered>();
  let old = new Map<string, Remembered>();
  return {
    get(key, now) {
      let from = young;
      let entry = young.get(key);
      if (entry === undefined) {
        from = old;
        entry = old.get(key);
        if (entry === undefined) return undefined;
      }
      if (entry.expiresAt > now) return entry.value;
      from.delete(key);
      return undefined;
    },
    remember(key, value, expiresAt, now) {
      if (expiresAt <= now) return;
      old.delete(key);
      young.set(key, { value, expiresAt });
      if (young.size >= half) {
        old = young;
        young = new Map();
      }
    },
  };
}
