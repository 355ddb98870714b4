import { describe, expect, it } from 'vitest';
import { keyedShardOf, MAX_SHARDS, shardOf } from './shard.ts';

const keys = Array.from({ length: 20_000 }, (_, i) => `rl:api:10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);

describe('shardOf', () => {
  it('is stable: these keys stay on these shards (a change would move live counters and bans)', () => {
    const golden: Array<[string, number, number]> = [
      ['rl:api:203.0.113.7', 7, 5],
      ['ban:2001:db8::/64', 13, 6],
      ['nf:198.51.100.1', 6, 6],
      ['', 13, 1],
      ['ünïcode ✓', 5, 5],
    ];
    for (const [key, of16, of7] of golden) {
      expect([shardOf(key, 16), shardOf(key, 7)], key).toEqual([of16, of7]);
    }
  });

  it('answers a shard in range, and 0 for one shard', () => {
    for (const shards of [1, 2, 3, 16, MAX_SHARDS]) {
      for (const key of keys.slice(0, 500)) {
        const shard = shardOf(key, shards);
        expect(Number.isInteger(shard) && shard >= 0 && shard < shards).toBe(true);
      }
    }
    expect(shardOf('anything', 1)).toBe(0);
  });

  it('spreads similar keys evenly over the shards', () => {
    for (const shards of [2, 16, 64]) {
      const counts = new Array<number>(shards).fill(0);
      for (const key of keys) counts[shardOf(key, shards)]! += 1;
      const expected = keys.length / shards;
      // Pearson's chi-squared against an even spread: about `shards - 1` for a uniform hash; the bound is 4 sigma.
      const chi2 = counts.reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
      expect(chi2, `${shards} shards: ${counts}`).toBeLessThan(shards - 1 + 4 * Math.sqrt(2 * (shards - 1)));
      expect(Math.min(...counts), `${shards} shards: ${counts}`).toBeGreaterThan(expected * 0.75);
    }
  });

  it('moves only the keys the new shard wins when a shard is added (about 1/(N+1))', () => {
    for (const shards of [4, 16]) {
      let moved = 0;
      for (const key of keys) {
        const before = shardOf(key, shards);
        const after = shardOf(key, shards + 1);
        if (after !== before) {
          moved += 1;
          expect(after).toBe(shards); // a key only ever moves to the new shard
        }
      }
      const share = moved / keys.length;
      expect(share).toBeGreaterThan((1 / (shards + 1)) * 0.8);
      expect(share).toBeLessThan((1 / (shards + 1)) * 1.2);
    }
  });
});

describe('keyedShardOf', () => {
  const secret = 'a shard secret of some length 0123';

  it('is stable: under this secret these keys stay on these shards (a change would move live counters and bans)', async () => {
    const golden: Array<[string, number, number]> = [
      ['rl:api:203.0.113.7', 11, 6],
      ['ban:2001:db8::/64', 8, 1],
      ['nf:198.51.100.1', 0, 0],
      ['', 9, 6],
      ['ünïcode ✓', 2, 2],
    ];
    const of16 = keyedShardOf(secret, 16);
    const of7 = keyedShardOf(secret, 7);
    for (const [key, sixteen, seven] of golden)
      expect([await of16(key), await of7(key)], key).toEqual([sixteen, seven]);
  });

  it('tries the key again after a failed import instead of keeping the failure', async () => {
    const raw = new TextEncoder().encode(secret);
    let calls = 0;
    const flaky: PromiseLike<CryptoKey> = {
      // biome-ignore lint/suspicious/noThenProperty: a thenable whose first settlement fails, as a flaky key store's
      then(resolve, reject) {
        calls += 1;
        const key = crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
        return (calls === 1 ? Promise.reject(new Error('key store unavailable')) : key).then(resolve, reject);
      },
    };
    const shardOfKey = keyedShardOf(flaky, 16);
    await expect(shardOfKey('rl:api:203.0.113.7')).rejects.toThrow(/unavailable/);
    expect(await shardOfKey('rl:api:203.0.113.7')).toBe(11);
  });

  it('gives the same shard for the same secret on every call, and spreads keys evenly', async () => {
    const shardOfKey = keyedShardOf(secret, 16);
    const again = keyedShardOf(new TextEncoder().encode(secret), 16);
    const counts = new Array<number>(16).fill(0);
    for (const key of keys.slice(0, 4000)) {
      const shard = await shardOfKey(key);
      expect(await again(key)).toBe(shard);
      counts[shard]! += 1;
    }
    expect(Math.min(...counts), `${counts}`).toBeGreaterThan((4000 / 16) * 0.7);
    expect(await keyedShardOf(secret, 1)('anything')).toBe(0);
  });

  it('scatters keys chosen to share one unkeyed object, so a client cannot aim at one shard without the secret', async () => {
    // What an attacker can do with the public hash: pick addresses that all land on object 0.
    const aimed = keys.filter((key) => shardOf(key, 16) === 0);
    expect(aimed.length).toBeGreaterThan(1000);
    const shardOfKey = keyedShardOf(secret, 16);
    const counts = new Array<number>(16).fill(0);
    for (const key of aimed) counts[await shardOfKey(key)]! += 1;
    // About 1/16 each: no object takes more than twice its share.
    expect(Math.max(...counts), `${counts}`).toBeLessThan((aimed.length / 16) * 2);
    // Another secret is another spread: most keys move.
    const other = keyedShardOf('another secret, also long enough', 16);
    let moved = 0;
    for (const key of aimed) if ((await other(key)) !== (await shardOfKey(key))) moved += 1;
    expect(moved / aimed.length).toBeGreaterThan(0.8);
  });

  it('takes an HMAC CryptoKey (or a promise of one), as a key derived from a key ring is', async () => {
    const raw = new TextEncoder().encode(secret);
    const key = crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const fromKey = keyedShardOf(key, 16);
    const fromRaw = keyedShardOf(raw, 16);
    for (const k of keys.slice(0, 50)) expect(await fromKey(k)).toBe(await fromRaw(k));
  });
});
