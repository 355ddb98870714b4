import { randomBytes, toHex } from '../internal/bytes.ts';
import { type KeyRing, parseKeyRing } from './key-ring.ts';

/** Where the app runs (SPEC §21 `SMARTER_ENV`). */
export type KeyRingEnvironment = 'development' | 'test' | 'production';

/**
 * The key ring for boot (SPEC §17): outside development a missing or weak `SMARTER_SECRET_KEYS` is refused with a
 * config error; only in development may keys be weak, and only there does a missing value fall back to a random
 * per-process key (sessions and tokens then die with the process).
 *
 * @example
 * const ring = loadKeyRing(env.SMARTER_SECRET_KEYS, config.env);
 */
export function loadKeyRing(source: string | undefined, environment: KeyRingEnvironment): KeyRing {
  if (environment === 'development') {
    if (!source?.trim()) return parseKeyRing(`dev-random:${toHex(randomBytes(32))}`);
    return parseKeyRing(source, { requireStrong: false });
  }
  return parseKeyRing(source);
}
