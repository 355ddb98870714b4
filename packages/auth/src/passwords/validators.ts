import { SmarterConfigError } from '@smarter/security';
import { toHex, utf8 } from '../internal/bytes.ts';
import { commonPasswords } from './common-passwords.ts';

/** One reason a password is refused, with Django's code where Django has one. */
export interface PasswordProblem {
  readonly code: string;
  readonly message: string;
}

/** User attributes the similarity check compares against (Django: username, first_name, last_name, email). */
export type PasswordUserAttributes = Readonly<Record<string, string | null | undefined>>;

/** A password validator (SPEC §14); runs on registration, change, reset and admin creation. */
export interface PasswordValidator {
  readonly name: string;
  validate(
    password: string,
    user?: PasswordUserAttributes,
  ): PasswordProblem | undefined | Promise<PasswordProblem | undefined>;
}

const chars = (s: string) => Array.from(s);

/** Python's `SequenceMatcher(a, b).quick_ratio()`: an upper bound on the similarity ratio. */
export function quickRatio(a: string, b: string): number {
  const la = chars(a);
  const lb = chars(b);
  if (la.length + lb.length === 0) return 1;
  const available = new Map<string, number>();
  for (const ch of lb) available.set(ch, (available.get(ch) ?? 0) + 1);
  let matches = 0;
  for (const ch of la) {
    const n = available.get(ch) ?? 0;
    if (n > 0) {
      matches++;
      available.set(ch, n - 1);
    }
  }
  return (2 * matches) / (la.length + lb.length);
}

function exceedsMaximumLengthRatio(password: string, maxSimilarity: number, value: string): boolean {
  const pwdLength = chars(password).length;
  const valueLength = chars(value).length;
  return pwdLength >= 10 * valueLength && valueLength < (maxSimilarity / 2) * pwdLength;
}

/** Django's `UserAttributeSimilarityValidator`: code `password_too_similar`. */
export function userAttributeSimilarityValidator(
  attributes: readonly string[] = ['username', 'first_name', 'last_name', 'email'],
  maxSimilarity = 0.7,
): PasswordValidator {
  if (!(maxSimilarity >= 0.1)) throw new SmarterConfigError('maxSimilarity must be at least 0.1 (Django default 0.7).');
  return {
    name: 'UserAttributeSimilarity',
    validate(password, user) {
      if (!user) return undefined;
      const lower = password.toLowerCase();
      for (const attribute of attributes) {
        const value = user[attribute];
        if (!value || typeof value !== 'string') continue;
        const valueLower = value.toLowerCase();
        for (const part of [...valueLower.split(/[^\p{L}\p{N}_]+/u), valueLower]) {
          if (exceedsMaximumLengthRatio(lower, maxSimilarity, part)) continue;
          if (quickRatio(lower, part) >= maxSimilarity) {
            return {
              code: 'password_too_similar',
              message: `The password is too similar to the ${attribute.replaceAll('_', ' ')}.`,
            };
          }
        }
      }
      return undefined;
    },
  };
}

/** Django's `MinimumLengthValidator` (Smarter's default 12): code `password_too_short`. */
export function minimumLengthValidator(minLength = 12): PasswordValidator {
  if (!Number.isInteger(minLength) || minLength < 1)
    throw new SmarterConfigError('minLength must be a positive integer (default 12).');
  return {
    name: 'MinimumLength',
    validate(password) {
      if (chars(password).length >= minLength) return undefined;
      return {
        code: 'password_too_short',
        message: `This password is too short. It must contain at least ${minLength} characters.`,
      };
    },
  };
}

/** A maximum length (not in Django; bounds hashing work): code `password_too_long`. */
export function maximumLengthValidator(maxLength = 128): PasswordValidator {
  if (!Number.isInteger(maxLength) || maxLength < 64 || maxLength > 4096) {
    throw new SmarterConfigError('maxLength must be an integer from 64 to 4096 (default 128).');
  }
  return {
    name: 'MaximumLength',
    validate(password) {
      if (chars(password).length <= maxLength) return undefined;
      return {
        code: 'password_too_long',
        message: `This password is too long. It must contain at most ${maxLength} characters.`,
      };
    },
  };
}

/** Django's `CommonPasswordValidator` with Django's list: code `password_too_common`. */
export function commonPasswordValidator(): PasswordValidator {
  return {
    name: 'CommonPassword',
    async validate(password) {
      const list = await commonPasswords();
      if (!list.has(password.toLowerCase().trim())) return undefined;
      return { code: 'password_too_common', message: 'This password is too common.' };
    },
  };
}

/** Django's `NumericPasswordValidator`: code `password_entirely_numeric`. */
export function numericPasswordValidator(): PasswordValidator {
  return {
    name: 'NumericPassword',
    validate(password) {
      if (!/^\p{Nd}+$/u.test(password)) return undefined;
      return { code: 'password_entirely_numeric', message: 'This password is entirely numeric.' };
    },
  };
}

/** Options of {@link breachedPasswordValidator}. */
export interface BreachCheckOptions {
  /** The `fetch` to call (injected: tests and Workers pass theirs). */
  readonly fetch: typeof fetch;
  /** Range endpoint; `/<first 5 hex of SHA-1>` is appended. @default 'https://api.pwnedpasswords.com/range' */
  readonly endpoint?: string;
  /** When the service cannot answer: 'closed' refuses the password, 'open' lets it pass. @default 'closed' */
  readonly failMode?: 'open' | 'closed';
  /** Refuse when seen at least this often. @default 1 */
  readonly threshold?: number;
  /** @default 3000 */
  readonly timeoutMs?: number;
}

/**
 * Breach check by k-anonymity: only the first five hex digits of the SHA-1 leave the process (with padding asked
 * for). Code `password_breached`; `password_breach_check_unavailable` when the service fails and `failMode` is closed.
 */
export function breachedPasswordValidator(options: BreachCheckOptions): PasswordValidator {
  if (typeof options?.fetch !== 'function') throw new SmarterConfigError('breachedPasswordValidator needs { fetch }.');
  const failMode = options.failMode ?? 'closed';
  if (failMode !== 'open' && failMode !== 'closed')
    throw new SmarterConfigError('failMode must be "open" or "closed".');
  const endpoint = (options.endpoint ?? 'https://api.pwnedpasswords.com/range').replace(/\/+$/, '');
  const threshold = options.threshold ?? 1;
  const timeoutMs = options.timeoutMs ?? 3000;
  const unavailable: PasswordProblem | undefined =
    failMode === 'closed'
      ? {
          code: 'password_breach_check_unavailable',
          message: 'The password could not be checked right now. Try again later.',
        }
      : undefined;
  return {
    name: 'BreachedPassword',
    async validate(password) {
      const digest = toHex(new Uint8Array(await crypto.subtle.digest('SHA-1', utf8(password)))).toUpperCase();
      const prefix = digest.slice(0, 5);
      const suffix = digest.slice(5);
      let body: string;
      try {
        const res = await options.fetch(`${endpoint}/${prefix}`, {
          headers: { 'add-padding': 'true' },
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!res.ok) return unavailable;
        body = await res.text();
      } catch {
        return unavailable;
      }
      for (const line of body.split('\n')) {
        const [hash, count] = line.trim().split(':');
        if (hash?.toUpperCase() === suffix && Number(count) >= threshold) {
          return { code: 'password_breached', message: 'This password has appeared in a data breach. Choose another.' };
        }
      }
      return undefined;
    },
  };
}

/** Options of {@link defaultPasswordValidators}. */
export interface DefaultPasswordValidatorsOptions {
  /** @default 12 */
  readonly minLength?: number;
  /** @default 128 */
  readonly maxLength?: number;
  /** @default ['username', 'first_name', 'last_name', 'email'] */
  readonly userAttributes?: readonly string[];
  /** @default 0.7 */
  readonly maxSimilarity?: number;
  /** Adds the breach check when given. @default none */
  readonly breachCheck?: BreachCheckOptions;
}

/** Django's four validators with Smarter's defaults, a maximum length, and the optional breach check. */
export function defaultPasswordValidators(options: DefaultPasswordValidatorsOptions = {}): PasswordValidator[] {
  const validators = [
    userAttributeSimilarityValidator(options.userAttributes, options.maxSimilarity),
    minimumLengthValidator(options.minLength),
    maximumLengthValidator(options.maxLength),
    commonPasswordValidator(),
    numericPasswordValidator(),
  ];
  if (options.breachCheck) validators.push(breachedPasswordValidator(options.breachCheck));
  return validators;
}

/**
 * Runs every validator and returns every problem (empty when the password is acceptable), like Django's
 * `validate_password`.
 *
 * @example
 * const problems = await validatePassword(pw, { email: user.email }, defaultPasswordValidators());
 */
export async function validatePassword(
  password: string,
  user: PasswordUserAttributes | undefined,
  validators: readonly PasswordValidator[],
): Promise<PasswordProblem[]> {
  const results = await Promise.all(validators.map((v) => v.validate(password, user)));
  return results.filter((r): r is PasswordProblem => r !== undefined);
}
