import { scrypt } from 'node:crypto';
import { SmarterConfigError } from '@smarter/security';
import type { EngineParams, PasswordEngine } from '../passwords/engine.ts';

/** Options of {@link scryptEngine}. */
export interface ScryptEngineOptions {
  /** log2 of the CPU/memory cost N. @default 14 (N = 16384, 16 MiB with r = 8; 50-250 ms a hash on the reference machine) */
  readonly ln?: number;
  /** Block size. @default 8 */
  readonly r?: number;
  /** Parallelism. @default 1 */
  readonly p?: number;
}

/** Validates scrypt parameters: ln 14..20, r 1..32, p 1..16, memory at most 1 GiB. */
export function resolveScryptOptions(options: ScryptEngineOptions = {}): {
  readonly ln: number;
  readonly r: number;
  readonly p: number;
} {
  const ln = options.ln ?? 14;
  const r = options.r ?? 8;
  const p = options.p ?? 1;
  const ok =
    Number.isInteger(ln) &&
    ln >= 14 &&
    ln <= 20 &&
    Number.isInteger(r) &&
    r >= 1 &&
    r <= 32 &&
    Number.isInteger(p) &&
    p >= 1 &&
    p <= 16;
  if (!ok || 128 * 2 ** ln * r > 2 ** 30) {
    throw new SmarterConfigError(
      'scrypt parameters out of range: use ln 14-20, r 1-32, p 1-16 (defaults ln=14, r=8, p=1).',
    );
  }
  return { ln, r, p };
}

/**
 * scrypt through `node:crypto` (Node, Bun, Deno). PHC id `scrypt`, parameters `ln`, `r`, `p`.
 *
 * @example
 * const hasher = createPasswordHasher({ engine: scryptEngine() });
 */
export function scryptEngine(options: ScryptEngineOptions = {}): PasswordEngine {
  const params = resolveScryptOptions(options);
  return {
    algorithm: 'scrypt',
    params,
    paramNames: ['ln', 'r', 'p'],
    checkParams(stored: EngineParams) {
      resolveScryptOptions({
        ln: stored['ln'] ?? Number.NaN,
        r: stored['r'] ?? Number.NaN,
        p: stored['p'] ?? Number.NaN,
      });
    },
    derive(password, salt, stored, length) {
      const N = 2 ** (stored['ln'] as number);
      const r = stored['r'] as number;
      const p = stored['p'] as number;
      return new Promise((resolve, reject) => {
        scrypt(password, salt, length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, key) => {
          if (error) reject(error);
          else resolve(new Uint8Array(key.buffer, key.byteOffset, key.byteLength));
        });
      });
    },
  };
}
