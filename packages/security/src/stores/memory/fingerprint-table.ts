/** What a slot holds when it holds no counter (the value is text). */
const TEXT = Number.NaN;
/** `expiresAt` of an entry that never expires. */
export const NEVER = -1;
/** Entries an eviction draws before it takes one in use, when all it met were (the table is then nearly all hot). */
const EVICTION_DRAWS = 64;

/** Random 32-bit seeds, one pair per table: fingerprints cannot be predicted from outside the process. */
function seed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] as number;
}

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
function mix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return x ^ (x >>> 16);
}

/**
 * An open-addressing hash table of bounded size over typed arrays, keyed by 64-bit seeded fingerprints of the key
 * strings (never the strings themselves). One probe sequence touches a few contiguous array cells instead of a hash
 * bucket, a key string and an entry object scattered over the heap, so the cost per operation stays nearly flat as
 * the table grows past the CPU caches, and a million entries are 67 MB of flat records the garbage collector never
 * walks. Linear probing with backward-shift deletion (no tombstones); CLOCK eviction at uniformly drawn slots.
 *
 * Two different keys share a slot only when both 32-bit fingerprints collide: with n keys the chance that any pair
 * does is about n²/2⁶⁴ (3·10⁻⁸ for a million keys), and the seeds are random per process, so a client cannot aim a
 * collision at another.
 */
export class FingerprintTable {
  /** Entries held. */
  size = 0;
  readonly #mask: number;
  readonly #max: number;
  readonly #seedA = seed();
  readonly #seedB = seed();
  /**
   * One 32-byte record per slot, so a probe touches one cache line: as int32 cells `[a, b, _, _, _, _, hot, _]`, as
   * float64 cells `[_, expiresAt, count, _]`. `a` is the first fingerprint (its low bits are the home slot), `b` the
   * second, never 0 (0 marks an empty slot), `hot` the CLOCK reference bit, `count` NaN when the value is text.
   */
  readonly #i32: Int32Array;
  readonly #f64: Float64Array;
  /** Text values by slot (counters stay in `#counts`). */
  readonly #texts = new Map<number, string>();
  /** xorshift32 state choosing the slots evictions draw (seeded from the CSPRNG: nobody outside can aim it). */
  #rng = seed() | 1;
  /** Slots whose reference bit the running eviction cleared (reused). */
  readonly #spared: number[] = [];
  /** Fingerprints of the key last hashed by {@link find}. */
  #ha = 0;
  #hb = 0;

  constructor(maxEntries: number) {
    if (!(maxEntries >= 1)) throw new RangeError('FingerprintTable: maxEntries must be at least 1.');
    // At most 80% full, so probe sequences stay short.
    let capacity = 16;
    while (capacity * 0.8 < maxEntries) capacity *= 2;
    this.#mask = capacity - 1;
    this.#max = maxEntries;
    const records = new ArrayBuffer(capacity * 32);
    this.#i32 = new Int32Array(records);
    this.#f64 = new Float64Array(records);
  }

  /** The live slot of `key` at time `t` (dropping it when expired, marking it used otherwise), or -1. */
  find(key: string, t: number): number {
    let a = this.#seedA;
    let b = this.#seedB;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
    }
    a = mix(a ^ key.length);
    b = mix(b) | 1;
    this.#ha = a;
    this.#hb = b;
    const mask = this.#mask;
    const i32 = this.#i32;
    for (let i = a & mask; ; i = (i + 1) & mask) {
      const sb = i32[i * 8 + 1];
      if (sb === 0) return -1;
      if (sb === b && i32[i * 8] === a) {
        const expires = this.#f64[i * 4 + 1] as number;
        if (expires !== NEVER && expires <= t) {
          this.#remove(i);
          return -1;
        }
        i32[i * 8 + 6] = 1;
        return i;
      }
    }
  }

  /** The counter in `slot`, or undefined when it holds text. */
  count(slot: number): number | undefined {
    const n = this.#f64[slot * 4 + 2] as number;
    return Number.isNaN(n) ? undefined : n;
  }

  /** The value in `slot` as text. */
  text(slot: number): string {
    const n = this.#f64[slot * 4 + 2] as number;
    return Number.isNaN(n) ? (this.#texts.get(slot) as string) : String(n);
  }

  expiresAt(slot: number): number {
    return this.#f64[slot * 4 + 1] as number;
  }

  /** Adds one to the counter in `slot`; returns the new count. */
  bump(slot: number): number {
    const n = (this.#f64[slot * 4 + 2] as number) + 1;
    this.#f64[slot * 4 + 2] = n;
    return n;
  }

  /** Overwrites the value and expiry of a live slot. */
  write(slot: number, value: string | number, expiresAt: number): void {
    this.#f64[slot * 4 + 1] = expiresAt;
    if (typeof value === 'number') {
      if (Number.isNaN(this.#f64[slot * 4 + 2] as number)) this.#texts.delete(slot);
      this.#f64[slot * 4 + 2] = value;
    } else {
      this.#f64[slot * 4 + 2] = TEXT;
      this.#texts.set(slot, value);
    }
  }

  /**
   * Inserts the key last passed to {@link find} (which must have returned -1 just before, with no other call in
   * between), evicting one entry first when the table is full. Returns its slot.
   */
  insertFound(value: string | number, expiresAt: number): number {
    const a = this.#ha;
    const b = this.#hb;
    if (this.size >= this.#max) this.#evictOne();
    const mask = this.#mask;
    const i32 = this.#i32;
    let i = a & mask;
    while (i32[i * 8 + 1] !== 0) i = (i + 1) & mask;
    i32[i * 8] = a;
    i32[i * 8 + 1] = b;
    // Not marked used: a flood of keys each seen once (a scan from fresh addresses) evicts its own kind first, while
    // the keys that are read again keep their place.
    i32[i * 8 + 6] = 0;
    this.#f64[i * 4 + 2] = 0;
    this.size++;
    this.write(i, value, expiresAt);
    return i;
  }

  /** Removes `key` when present (expired or not). */
  delete(key: string): void {
    const slot = this.find(key, Number.NEGATIVE_INFINITY);
    if (slot !== -1) this.#remove(slot);
  }

  /**
   * CLOCK at random slots: draws slots uniformly until one holds an entry unused since its reference bit was last
   * cleared, clearing the bits of the used ones it meets (which this eviction then spares), and removes it; after
   * {@link EVICTION_DRAWS} entries that were all in use it takes the next one it draws, used or not (so a used entry
   * is spared almost surely, not always, when nearly every entry is in use). Linear probing's occupied slots
   * depend only on the keys held, so evicting uniformly keeps them as evenly spread as a fresh fill. A hand sweeping
   * the slots in order empties those behind it while inserts land everywhere: the slots ahead fill into runs thousands
   * of slots long, and every miss (a new client's first request) probes one to its end (measured: 200-400 µs an
   * operation once a stream of new keys had turned the table over, against under 1 µs while filling it). Scanning
   * forward from a random slot is not enough either: it picks the first entry after each empty stretch, the heads of
   * runs, far more often than the rest, and runs still grow turnover after turnover.
   */
  #evictOne(): void {
    const mask = this.#mask;
    const i32 = this.#i32;
    const spared = this.#spared;
    let x = this.#rng;
    let victim = -1;
    let draws = 0;
    while (victim === -1) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const i = mix(x) & mask;
      if (i32[i * 8 + 1] === 0) continue;
      draws++;
      const hot = i32[i * 8 + 6];
      if (hot === 0 || draws > EVICTION_DRAWS) victim = i;
      else if (hot === 1) {
        // Spared by this eviction (2), used no more once it is over (0).
        i32[i * 8 + 6] = 2;
        spared.push(i);
      }
    }
    this.#rng = x;
    for (const slot of spared) i32[slot * 8 + 6] = 0;
    spared.length = 0;
    this.#remove(victim);
  }

  /** The longest run of occupied slots (what a miss may have to probe): a diagnostic for tests and benchmarks. */
  longestRun(): number {
    const mask = this.#mask;
    const i32 = this.#i32;
    let longest = 0;
    let run = 0;
    // Twice round, so a run that wraps past the last slot is counted whole.
    for (let k = 0; k < 2 * (mask + 1); k++) {
      if (i32[(k & mask) * 8 + 1] === 0) run = 0;
      else if (++run > longest) longest = run;
    }
    return Math.min(longest, mask + 1);
  }

  /** Empties `slot` and shifts back later entries of its probe run, so no probe sequence is cut short. */
  #remove(slot: number): void {
    const mask = this.#mask;
    const i32 = this.#i32;
    const f64 = this.#f64;
    let hole = slot;
    if (Number.isNaN(f64[hole * 4 + 2] as number)) this.#texts.delete(hole);
    for (let j = (hole + 1) & mask; i32[j * 8 + 1] !== 0; j = (j + 1) & mask) {
      const home = (i32[j * 8] as number) & mask;
      // The entry at j may move into the hole only if its home is not cyclically within (hole, j].
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      i32.copyWithin(hole * 8, j * 8, j * 8 + 8);
      const text = this.#texts.get(j);
      if (text !== undefined) {
        this.#texts.set(hole, text);
        this.#texts.delete(j);
      }
      hole = j;
    }
    i32.fill(0, hole * 8, hole * 8 + 8);
    this.size--;
  }
}
