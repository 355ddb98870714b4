/**
 * Facts with an end that this process may answer from memory instead of asking a shared store again: "this client
 * is banned until T", "this client is over its limit until the window ends". Bounded: past `maxEntries` the oldest
 * entry goes (it is asked for again, nothing worse). About 150 bytes an entry with a 40-character key.
 */
export interface ExpiryCache {
  /** The value remembered for `key`, while it is fresh at `now`. */
  get(key: string, now: number): number | undefined;
  /** Remembers `value` for `key` until `expiresAt` (nothing is kept when that is not after `now`). */
  remember(key: string, value: number, expiresAt: number, now: number): void;
}

/** An {@link ExpiryCache} of at most `maxEntries` keys. */
export function expiryCache(maxEntries: number): ExpiryCache {
  const entries = new Map<string, { readonly value: number; readonly expiresAt: number }>();
  return {
    get(key, now) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.expiresAt > now) return entry.value;
      entries.delete(key);
      return undefined;
    },
    remember(key, value, expiresAt, now) {
      if (expiresAt <= now) return;
      // Re-inserted at the end: the map's order is oldest first.
      entries.delete(key);
      entries.set(key, { value, expiresAt });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
  };
}
