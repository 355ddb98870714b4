import { isSmarterError } from '@smarter/security';
import { describe, expect, it } from 'vitest';
import { keyFingerprintId, parseKeyRing } from './key-ring.ts';
import { loadKeyRing } from './load-key-ring.ts';

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
    expect(parseKeyRing('dev', { requireStrong: false }).ids).toEqual([expect.stringMatching(/^k_[0-9a-f]{12}$/)]);
  });
});

describe('loadKeyRing', () => {
  it('refuses missing or weak keys outside development', () => {
    for (const env of ['production', 'test'] as const) {
      expect(() => loadKeyRing(undefined, env)).toThrow(/SMARTER_SECRET_KEYS/);
      expect(() => loadKeyRing('changeme', env)).toThrow(/weak/);
    }
    expect(loadKeyRing(strong, 'production').ids).toEqual([keyFingerprintId(new TextEncoder().encode(strong))]);
  });

  it('falls back to a random per-process key only in development', () => {
    const a = loadKeyRing(undefined, 'development');
    const b = loadKeyRing('', 'development');
    expect(a.ids).toEqual(['dev-random']);
    expect(a.keys.get('dev-random')).not.toEqual(b.keys.get('dev-random'));
    expect(loadKeyRing('dev', 'development').ids).toEqual([keyFingerprintId(new TextEncoder().encode('dev'))]);
  });
});
