import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { API_KEY_PREFIX, formatApiKey, generateApiKey, maskApiKey, parseApiKey } from './format.ts';

describe('API key format', () => {
  it('generates scannable keys that parse back to their id and secret', () => {
    const key = generateApiKey();
    expect(key.token.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(key.token).toMatch(/^smk_[a-z2-7]{16}_[0-9A-Za-z]{49}$/);
    expect(parseApiKey(key.token)).toEqual({ id: key.id, secret: key.secret });
    expect(generateApiKey().token).not.toBe(key.token);
  });

  it('keeps the checksum of keys already issued: CRC-32 in six base62 digits, leading zeros kept', () => {
    // Pinned digits: a change of the checksum's encoding would refuse every key in the wild.
    expect(formatApiKey('abcdefghijklmnop', '0'.repeat(43)).slice(-6)).toBe('2ujqbz');
    expect(formatApiKey('abcdefghijklmnop', 'Z'.repeat(43)).slice(-6)).toBe('03bD5y');
    expect(formatApiKey('zzzzzzzzzzzzzzzz', `${'Ab3'.repeat(14)}x`).slice(-6)).toBe('01YIo5');
    expect(formatApiKey('a2b3c4d5e6f7g2h3', `${'Ab3'.repeat(14)}x`).slice(-6)).toBe('3V1tWJ');
  });

  it('refuses any single-character change through the checksum', () => {
    const { token } = generateApiKey();
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: token.length - 1 }),
        fc.constantFrom(...'0123456789abcXYZ'),
        (index, ch) => {
          fc.pre(token[index] !== ch && token[index] !== '_');
          const changed = token.slice(0, index) + ch + token.slice(index + 1);
          expect(parseApiKey(changed)).toBeUndefined();
        },
      ),
    );
  });

  it('refuses wrong prefixes, lengths and junk', () => {
    const { token } = generateApiKey();
    for (const bad of [
      '',
      'smk_',
      token.slice(1),
      `x${token}`,
      `${token}a`,
      token.replace('smk_', 'SMK_'),
      'Bearer abc',
    ]) {
      expect(parseApiKey(bad)).toBeUndefined();
    }
  });

  it('masks to the last four characters', () => {
    expect(maskApiKey('abcd')).toBe('****abcd');
  });
});
