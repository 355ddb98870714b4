import { isSmarterError } from '@smarter/security';
import { describe, expect, it } from 'vitest';
import { parseKeyRing } from './key-ring.ts';

const strong = 'a3f9c2e71b8d4605f2a9c3e8d7b61f04';

describe('parseKeyRing', () => {
  it('keeps order, so the first key signs', () => {
    const ring = parseKeyRing(`new:${strong}, old:${strong.split('').reverse().join('')}`);
    expect(ring.ids).toEqual(['new', 'old']);
    expect(ring.keys.get('new')).toBeInstanceOf(Uint8Array);
  });

  it('refuses missing and weak keys with a config error that says what to do', () => {
    for (const bad of [undefined, '', 'changeme', 'short', 'x'.repeat(40)]) {
      let thrown: unknown;
      try {
        parseKeyRing(bad);
      } catch (error) {
        thrown = error;
      }
      expect(isSmarterError(thrown)).toBe(true);
      expect(String((thrown as Error).message)).toMatch(/SMARTER_SECRET_KEYS|random/);
    }
  });

  it('accepts weak keys only when told to (development)', () => {
    expect(parseKeyRing('dev', { requireStrong: false }).ids).toEqual(['k0']);
  });
});
