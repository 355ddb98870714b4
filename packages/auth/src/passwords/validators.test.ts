import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS_COUNT } from './common-passwords.gen.ts';
import { commonPasswords } from './common-passwords.ts';
import {
  breachedPasswordValidator,
  commonPasswordValidator,
  defaultPasswordValidators,
  maximumLengthValidator,
  minimumLengthValidator,
  numericPasswordValidator,
  quickRatio,
  userAttributeSimilarityValidator,
  validatePassword,
} from './validators.ts';

// Django's own test user (django/contrib/auth tests): username testclient, Test Client, testclient@example.com.
const user = { username: 'testclient', first_name: 'Test', last_name: 'Client', email: 'testclient@example.com' };

describe('Django-parity validators', () => {
  it('quickRatio matches Python SequenceMatcher.quick_ratio', () => {
    expect(quickRatio('abcd', 'bcde')).toBe(0.75);
    expect(quickRatio('', '')).toBe(1);
    expect(quickRatio('testclient', 'test')).toBeCloseTo(8 / 14);
  });

  it('UserAttributeSimilarity: password_too_similar like Django', async () => {
    const v = userAttributeSimilarityValidator();
    expect(await v.validate('testclient')).toBeUndefined();
    expect(await v.validate('testclient', user)).toMatchObject({
      code: 'password_too_similar',
      message: 'The password is too similar to the username.',
    });
    expect(await v.validate('example.com', user)).toMatchObject({
      code: 'password_too_similar',
      message: 'The password is too similar to the email.',
    });
    expect(await userAttributeSimilarityValidator(['first_name'], 0.3).validate('testclient', user)).toMatchObject({
      code: 'password_too_similar',
    });
    expect(await userAttributeSimilarityValidator(['first_name'], 1).validate('Test', user)).toMatchObject({
      code: 'password_too_similar',
    });
    expect(await userAttributeSimilarityValidator(['first_name']).validate('testclient', user)).toBeUndefined();
    expect(() => userAttributeSimilarityValidator(['first_name'], 0.09)).toThrow(/at least 0.1/);
  });

  it('MinimumLength: default 12, password_too_short, counts code points', async () => {
    const v = minimumLengthValidator();
    expect(await v.validate('a'.repeat(11))).toMatchObject({
      code: 'password_too_short',
      message: 'This password is too short. It must contain at least 12 characters.',
    });
    expect(await v.validate('a'.repeat(12))).toBeUndefined();
    expect(await v.validate('😀'.repeat(11))).toMatchObject({ code: 'password_too_short' });
  });

  it('MaximumLength: password_too_long', async () => {
    expect(await maximumLengthValidator().validate('a'.repeat(129))).toMatchObject({ code: 'password_too_long' });
    expect(await maximumLengthValidator().validate('a'.repeat(128))).toBeUndefined();
  });

  it("CommonPassword ships Django's list compactly and uses Django's comparison (lower-cased, stripped)", async () => {
    const list = await commonPasswords();
    expect(list.size).toBe(COMMON_PASSWORDS_COUNT);
    expect(list.size).toBeGreaterThan(19_000);
    const v = commonPasswordValidator();
    for (const common of ['godzilla', 'GODZILLA', ' password ', '123456', 'letmein']) {
      expect(await v.validate(common)).toMatchObject({
        code: 'password_too_common',
        message: 'This password is too common.',
      });
    }
    expect(await v.validate('a-safe-password')).toBeUndefined();
  });

  it('NumericPassword: password_entirely_numeric', async () => {
    expect(await numericPasswordValidator().validate('42424242')).toMatchObject({
      code: 'password_entirely_numeric',
      message: 'This password is entirely numeric.',
    });
    expect(await numericPasswordValidator().validate('42424242a')).toBeUndefined();
  });

  it('validatePassword collects every problem; a strong password has none', async () => {
    const problems = await validatePassword('12345', user, defaultPasswordValidators());
    expect(problems.map((p) => p.code).sort()).toEqual([
      'password_entirely_numeric',
      'password_too_common',
      'password_too_short',
    ]);
    expect(await validatePassword('correct horse battery staple', user, defaultPasswordValidators())).toEqual([]);
  });
});

describe('breach check (k-anonymity through an injected fetch)', () => {
  // SHA-1("password") = 5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8
  const fakeFetch = (status = 200, seen: string[] = []) =>
    (async (input: string | URL | Request, init?: RequestInit) => {
      seen.push(String(input));
      expect(new Headers(init?.headers).get('add-padding')).toBe('true');
      return new Response(
        '0018A45C4D1DEF81644B54AB7F969B88D65:3\r\n1E4C9B93F3F0682250B6CF8331B7EE68FD8:9659365\r\nFFFF0000000000000000000000000000000:0',
        { status },
      );
    }) as typeof fetch;

  it('sends only the 5-character prefix and refuses breached passwords', async () => {
    const seen: string[] = [];
    const v = breachedPasswordValidator({ fetch: fakeFetch(200, seen), endpoint: 'https://hibp.test/range' });
    expect(await v.validate('password')).toMatchObject({ code: 'password_breached' });
    expect(seen).toEqual(['https://hibp.test/range/5BAA6']);
    expect(seen.join()).not.toContain('1E4C9B93');
    expect(await v.validate('not in the fake list at all')).toBeUndefined();
  });

  it('fails closed by default and open when configured', async () => {
    const failing = (async () => {
      throw new Error('network down');
    }) as unknown as typeof fetch;
    expect(await breachedPasswordValidator({ fetch: failing }).validate('x')).toMatchObject({
      code: 'password_breach_check_unavailable',
    });
    expect(await breachedPasswordValidator({ fetch: fakeFetch(503) }).validate('x')).toMatchObject({
      code: 'password_breach_check_unavailable',
    });
    expect(await breachedPasswordValidator({ fetch: failing, failMode: 'open' }).validate('x')).toBeUndefined();
    expect(() => breachedPasswordValidator({ fetch: failing, failMode: 'maybe' as never })).toThrow(/failMode/);
  });
});
