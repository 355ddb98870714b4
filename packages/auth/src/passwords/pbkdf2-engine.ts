import { SmarterConfigError } from '@smarter/security';
import type { EngineParams, PasswordEngine } from './engine.ts';

/** The most PBKDF2 iterations Cloudflare Workers allow (larger counts throw there). */
export const PBKDF2_MAX_ITERATIONS = 100_000;
const PBKDF2_MIN_ITERATIONS = 10_000;

/** Options of {@link pbkdf2Engine}. */
export interface Pbkdf2EngineOptions {
  /** Iterations of new hashes. @default 100000 (the Workers ceiling) */
  readonly iterations?: number;
}

/** Validates PBKDF2 options; iterations must be within 10,000..100,000 (the Workers ceiling). */
export function resolvePbkdf2Options(options: Pbkdf2EngineOptions = {}): { readonly iterations: number } {
  const iterations = options.iterations ?? PBKDF2_MAX_ITERATIONS;
  if (!Number.isInteger(iterations) || iterations < PBKDF2_MIN_ITERATIONS || iterations > PBKDF2_MAX_ITERATIONS) {
    throw new SmarterConfigError(
      `PBKDF2 iterations must be an integer from ${PBKDF2_MIN_ITERATIONS} to ${PBKDF2_MAX_ITERATIONS} (Workers refuse more); use scrypt (@smarter/auth/password-node) where the runtime has it.`,
    );
  }
  return { iterations };
}

/**
 * PBKDF2-SHA-256 through WebCrypto: the Workers-safe engine. PHC id `pbkdf2-sha256`, parameter `i`.
 *
 * @example
 * const hasher = createPasswordHasher({ engine: pbkdf2Engine() });
 */
export function pbkdf2Engine(options: Pbkdf2EngineOptions = {}): PasswordEngine {
  const { iterations } = resolvePbkdf2Options(options);
  return {
    algorithm: 'pbkdf2-sha256',
    params: { i: iterations },
    paramNames: ['i'],
    checkParams(params: EngineParams) {
      resolvePbkdf2Options({ iterations: params['i'] ?? Number.NaN });
    },
    async derive(password, salt, params, length) {
      const key = await crypto.subtle.importKey('raw', password as Uint8Array<ArrayBuffer>, 'PBKDF2', false, [
        'deriveBits',
      ]);
      const bits = await crypto.subtle.deriveBits(
        { name: 'PBKDF2', hash: 'SHA-256', salt: salt as Uint8Array<ArrayBuffer>, iterations: params['i'] as number },
        key,
        length * 8,
      );
      return new Uint8Array(bits);
    },
  };
}
