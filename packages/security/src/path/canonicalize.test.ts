import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalizeByWalk, canonicalizePath } from './canonicalize.ts';

/** The characters of `text`, one array element each (for `fc.constantFrom`). */
const chars = (text: string): string[] => [...text];

const canon = (p: string) => {
  const r = canonicalizePath(p);
  return r.ok ? r.path : `!${r.reason}`;
};

// Segments made of characters that survive canonicalisation unchanged (lower-case ASCII, digits, a few marks).
const segment = fc.stringMatching(/^[a-z0-9_-]{1,6}(\.[a-z0-9]{1,4})?$/);
const cleanPath = fc.array(segment, { minLength: 1, maxLength: 6 }).map((parts) => `/${parts.join('/')}`);

const hex = (code: number) => `%${code.toString(16).padStart(2, '0')}`;
const utf8Percent = (ch: string) => [...new TextEncoder().encode(ch)].map(hex).join('');
const overlong = (ch: string) => {
  const c = ch.charCodeAt(0);
  return `%${(0xc0 | (c >> 6)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`;
};
const fullwidth = (ch: string) => {
  const c = ch.charCodeAt(0);
  return c >= 0x21 && c <= 0x7e ? String.fromCharCode(c + 0xfee0) : ch;
};

/** Rewrites one character of a clean path in a way that must canonicalise to the same thing. */
type Variant = (ch: string) => string;
const charVariants: Variant[] = [
  (ch) => ch,
  (ch) => ch.toUpperCase(),
  (ch) => hex(ch.charCodeAt(0)),
  (ch) => hex(ch.charCodeAt(0)).toUpperCase(),
  (ch) => `%25${hex(ch.charCodeAt(0)).slice(1)}`,
  (ch) => `%2525${hex(ch.charCodeAt(0)).slice(1)}`,
  (ch) => utf8Percent(fullwidth(ch)),
  (ch) => overlong(ch),
  (ch) => fullwidth(ch),
];

const variantOf = (path: string, picks: number[]) =>
  [...path]
    .map((ch, i) => {
      if (ch === '/') {
        const slash = ['/', '//', '\\', '%2f', '%5c', '/./', '/x/../', '%2F', '/%2e/'][(picks[i] ?? 0) % 9] ?? '/';
        return slash;
      }
      return (charVariants[(picks[i] ?? 0) % charVariants.length] as Variant)(ch);
    })
    .join('');

describe('canonicalizePath', () => {
  it.each([
    ['/', '/'],
    ['/API/V1/Users/', '/api/v1/users'],
    ['/STATIC/..%252f.%2545nv', '/.env'],
    ['/.env%00', '/.env'],
    ['/.e%00nv', '/.env'],
    ['/a/%c0%ae%c0%ae/x', '/x'],
    ['/%c0%ae%c0%ae/x', '!ABOVE_ROOT'],
    ['/a/%c0%af.env', '/a/.env'],
    ['/．ｅｎｖ', '/.env'],
    ['/a\\..\\.env', '/.env'],
    ['/.env;jsessionid=1', '/.env'],
    ['/..;/x', '!ABOVE_ROOT'],
    ['/.env. ', '/.env'],
    ['/.env%20%2e', '/.env'],
    ['/x//y/./z/', '/x/y/z'],
    ['/x/y/../../.git/config', '/.git/config'],
    ['/100%25', '/100%25'],
    ['/%252525', '/%25'],
    ['/%', '!MALFORMED_ESCAPE'],
    ['/%zz', '!MALFORMED_ESCAPE'],
    ['/%25252541', '!TOO_MANY_ENCODINGS'],
    ['/%ff', '!INVALID_UTF8'],
    ['/%ed%a0%80', '!INVALID_UTF8'],
    ['/%c0', '!INVALID_UTF8'],
    ['/..', '!ABOVE_ROOT'],
    ['/a/%2e%2e/%2e%2e/etc/passwd', '!ABOVE_ROOT'],
    [`/${'a'.repeat(9000)}`, '!TOO_LONG'],
  ])('%s → %s', (input, expected) => {
    expect(canon(input)).toBe(expected);
  });

  it('is idempotent on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 60 }), (s) => {
        const once = canonicalizePath(s);
        if (!once.ok) return;
        expect(canon(once.path)).toBe(once.path);
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent on percent-heavy and non-ASCII input', () => {
    // One element per character, in this order (repeats weigh a character more).
    const alphabet = fc.constantFrom(...chars('/.%25eEfc0a\\; ｅ．＼\0'));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), (chars) => {
        const once = canonicalizePath(`/${chars.join('')}`);
        if (!once.ok) return;
        expect(canon(once.path)).toBe(once.path);
      }),
      { numRuns: 3000 },
    );
  });

  it('answers like the full walk on every input, one-pass shortcut or not', () => {
    // Paths made of the characters the shortcut decides on: slashes, dots, spaces, case, and the ones that force the
    // walk (escapes, backslash, semicolon, controls, non-ASCII).
    const alphabet = fc.constantFrom(...chars('//.. aBzZ-%2e\\;\0\x7fé'));
    const shapes = fc.oneof(
      fc.array(alphabet, { maxLength: 24 }).map((chars) => chars.join('')),
      fc.array(alphabet, { maxLength: 24 }).map((chars) => `/${chars.join('')}`),
      fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
    );
    for (const fixed of [
      '',
      '/',
      '//',
      '/.',
      '/..',
      '/a/.',
      '/a/..',
      '/a/...',
      '/.a',
      '/..a',
      '/a.',
      '/a ',
      '/a/',
      '/A/B/',
    ]) {
      expect(canonicalizePath(fixed)).toEqual(canonicalizeByWalk(fixed));
    }
    fc.assert(
      fc.property(shapes, (s) => {
        expect(canonicalizePath(s)).toEqual(canonicalizeByWalk(s));
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
        const r = canonicalizePath(s);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it('maps every encoding variant of a path to the same string', () => {
    fc.assert(
      fc.property(cleanPath, fc.array(fc.nat(), { minLength: 80, maxLength: 80 }), (path, picks) => {
        const variant = variantOf(path, picks);
        expect(canon(variant)).toBe(canon(path));
      }),
      { numRuns: 3000 },
    );
  });

  it('maps trailing dots, spaces, ;params and NULs on a segment to the segment', () => {
    fc.assert(
      fc.property(
        cleanPath,
        fc.constantFrom('.', ' ', '. ', ';x=1', '%00', '%20', '%2e', '%3bjsessionid=abc'),
        (path, tail) => {
          expect(canon(`${path}${tail}`)).toBe(canon(path));
        },
      ),
    );
  });
});
