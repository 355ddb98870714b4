// Which Durable Object holds a key. Rendezvous (highest-random-weight) hashing: every shard scores the key and the
// highest score wins. Unlike `hash % shards`, growing from N to N+1 shards moves only the keys the new shard wins,
// about 1/(N+1) of them, so most counters and bans survive a change of `shards`. The cost is one 32-bit mix per
// shard per operation (16 by default: tens of nanoseconds), which is why `shards` is capped.

import { expiryCache } from '../../internal/expiry-cache.ts';

/** Most shards a store may use (each operation scores every shard). */
export const MAX_SHARDS = 1024;

/** FNV-1a over the UTF-16 code units: the same number on every runtime, without crypto or an await. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** MurmurHash3's finaliser: spreads every input bit over the output, so neighbouring shard numbers score apart. */
function mix(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The shard (0 to `shards - 1`) that holds `key`. Stable: the same key and count give the same shard on every
 * runtime and every deploy (a change would move counters and bans to objects that never saw them), so the golden
 * values in the test must not change.
 */
export function shardOf(key: string, shards: number): number {
  if (shards <= 1) return 0;
  return shardOfHash(fnv1a(key), shards);
}

/** The rendezvous choice for a 32-bit hash of the key: every shard scores it, the highest score wins. */
export function shardOfHash(hash: number, shards: number): number {
  if (shards <= 1) return 0;
  let best = 0;
  let bestScore = -1;
  for (let shard = 0; shard < shards; shard++) {
    // The golden-ratio multiple makes each shard's seed differ in many bits before the mix.
    const score = mix(hash ^ Math.imul(shard + 1, 0x9e3779b9));
    if (score > bestScore) {
      best = shard;
      bestScore = score;
    }
  }
  return best;
}

/** A secret for {@link keyedShardOf}: raw bytes or text (at least 16), or an HMAC-SHA-256 key that may sign. */
export type ShardKey = string | Uint8Array | CryptoKey | PromiseLike<CryptoKey>;

/** Shard choices this process remembers per keyed chooser (each costs an HMAC). */
const REMEMBERED = 10_000;

/**
 * {@link shardOf} with the key's hash taken from HMAC-SHA-256(secret, key): without the secret nobody can tell which
 * keys share an object, so a client cannot pick addresses that all land on one object to saturate it (an object runs
 * one operation at a time, and guards fail closed when it is too slow). The same secret gives the same shards on
 * every instance; another secret moves almost every key.
 */
export function keyedShardOf(secret: ShardKey, shards: number): (key: string) => Promise<number> {
  let hmacKey: Promise<CryptoKey> | undefined;
  const keyOf = (): Promise<CryptoKey> => {
    hmacKey ??= (async () => {
      if (typeof secret === 'string' || secret instanceof Uint8Array) {
        const raw = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
        return crypto.subtle.importKey(
          'raw',
          raw as Uint8Array<ArrayBuffer>,
          { name: 'HMAC', hash: 'SHA-256' },
          false,
          ['sign'],
        );
      }
      return await secret;
    })();
    // A failed import is not kept: the next operation tries again (this one fails, and its guard fails closed).
    hmacKey.catch(() => {
      hmacKey = undefined;
    });
    return hmacKey;
  };
  // A key's shard never changes: remembered without an end, the oldest forgotten first.
  const known = expiryCache(REMEMBERED);
  return async function keyedShard(key: string): Promise<number> {
    if (shards <= 1) return 0;
    const seen = known.get(key, 0);
    if (seen !== undefined) return seen;
    const mac = await crypto.subtle.sign('HMAC', await keyOf(), new TextEncoder().encode(key));
    const shard = shardOfHash(new DataView(mac).getUint32(0), shards);
    known.remember(key, shard, Number.POSITIVE_INFINITY, 0);
    return shard;
  };
}
