import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FingerprintTable, NEVER } from './fingerprint-table.ts';

type Op =
  | { kind: 'set'; key: string; value: string | number; ttl: number | undefined }
  | { kind: 'bump'; key: string }
  | { kind: 'delete'; key: string }
  | { kind: 'tick'; ms: number };

const keyArb = fc.integer({ min: 0, max: 40 }).map((n) => `client:${n}`);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    key: keyArb,
    value: fc.oneof(fc.string(), fc.integer({ min: 0, max: 1000 })),
    ttl: fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('bump' as const), key: keyArb }),
  fc.record({ kind: fc.constant('delete' as const), key: keyArb }),
  fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 30 }) }),
);

describe('FingerprintTable', () => {
  it('behaves like a plain map with expiry under any sequence of operations (probe runs, wrap-around, backward shift)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => {
        // 41 possible keys in a table sized for 48: long probe runs that wrap around the end, no eviction.
        const table = new FingerprintTable(48);
        const model = new Map<string, { value: string | number; expires: number }>();
        let t = 0;
        const alive = (key: string) => {
          const e = model.get(key);
          if (e && e.expires !== NEVER && e.expires <= t) model.delete(key);
          return model.get(key);
        };
        for (const op of ops) {
          if (op.kind === 'tick') t += op.ms;
          else if (op.kind === 'delete') {
            table.delete(op.key);
            model.delete(op.key);
          } else if (op.kind === 'set') {
            const expires = op.ttl === undefined ? NEVER : t + op.ttl;
            const slot = table.find(op.key, t);
            if (slot === -1) table.insertFound(op.value, expires);
            else table.write(slot, op.value, expires);
            model.set(op.key, { value: op.value, expires });
          } else {
            const slot = table.find(op.key, t);
            const e = alive(op.key);
            expect(slot !== -1).toBe(e !== undefined);
            if (slot !== -1 && e && typeof e.value === 'number') {
              e.value = table.bump(slot);
            }
          }
          for (let n = 0; n <= 40; n++) {
            const key = `client:${n}`;
            const e = alive(key);
            const slot = table.find(key, t);
            expect(slot === -1 ? undefined : table.text(slot)).toBe(e === undefined ? undefined : String(e.value));
          }
          expect(table.size).toBe(model.size);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never holds more than its cap, evicting entries not used since their bit was last cleared', () => {
    const table = new FingerprintTable(100);
    for (let i = 0; i < 10_000; i++) {
      if (table.find(`k${i}`, 0) === -1) table.insertFound(i, NEVER);
      // k0 is read all the time: every eviction finds it in use and spares it.
      expect(table.find('k0', 0)).not.toBe(-1);
      expect(table.size).toBeLessThanOrEqual(100);
    }
    expect(table.size).toBe(100);
    expect(table.text(table.find('k9999', 0))).toBe('9999');
  });

  it('stays evenly loaded while a stream of new keys turns it over (no run grows long enough to make misses slow)', () => {
    // 26,000 entries in 32,768 slots (79% full, its most): before eviction, and after five full turnovers by keys
    // seen once each (new clients), the longest run a miss may probe stays of the same order. A hand sweeping the
    // slots in order made it grow into the thousands (every miss then walked it).
    const table = new FingerprintTable(26_000);
    let n = 0;
    const fill = (count: number) => {
      for (let i = 0; i < count; i++, n++)
        if (table.find(`smarter:nf:client-${n}`, 0) === -1) table.insertFound(1, NEVER);
    };
    fill(26_000);
    const full = table.longestRun();
    fill(5 * 26_000);
    expect(table.size).toBe(26_000);
    expect(table.longestRun()).toBeLessThan(Math.max(4 * full, 400));
  });

  it('keeps counters and text apart in one slot over rewrites', () => {
    const table = new FingerprintTable(4);
    const slot = table.insertFound('banned', NEVER);
    expect(table.find('x', 0)).toBe(-1);
    expect(table.count(slot)).toBeUndefined();
    table.write(slot, 3, NEVER);
    expect(table.count(slot)).toBe(3);
    expect(table.bump(slot)).toBe(4);
    table.write(slot, 'again', 10);
    expect(table.text(slot)).toBe('again');
    expect(table.expiresAt(slot)).toBe(10);
  });
});
