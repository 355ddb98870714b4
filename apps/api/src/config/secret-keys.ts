import { type KeyRing, loadKeyRing, parseKeyRing } from '@smarter/auth';
import { Secret, SmarterConfigError } from '@smarter/security';
import { toHex } from '../internal/hex.ts';
import type { AppConfig, SmarterEnv } from './config.ts';
import { splitList } from './parse.ts';

/** `SMARTER_SECRET_KEYS` as the config keeps it. */
export interface SecretKeys {
  readonly secretKeys: readonly string[];
  /** True when no key was configured and a random one was made for this process (development only). */
  readonly secretKeysGenerated: boolean;
}

function missing(env: SmarterEnv): SmarterConfigError {
  return new SmarterConfigError(
    `SMARTER_SECRET_KEYS is required when SMARTER_ENV=${env} (only development makes up a key): set a long random key (for example: openssl rand -hex 32).`,
  );
}

/**
 * Reads `SMARTER_SECRET_KEYS` by `@smarter/auth`'s boot rule (SPEC §17): only development may run on a weak key or
 * on a random key made for this process. In test and production a missing or weak key is refused, since a made-up
 * key hides a deployment mistake until every session and signed token dies with the process. With `enforce` off
 * (`smarter check --deploy`) nothing is refused: the checklist reports the keys instead.
 *
 * @example
 * const { secretKeys, secretKeysGenerated } = readSecretKeys(env.SMARTER_SECRET_KEYS, 'production');
 */
export function readSecretKeys(raw: string | undefined, env: SmarterEnv, enforce = true): SecretKeys {
  const entries = splitList(raw);
  if (entries.length === 0) {
    if (env !== 'development' && enforce) throw missing(env);
    return { secretKeys: [toHex(crypto.getRandomValues(new Uint8Array(32)))], secretKeysGenerated: true };
  }
  if (enforce) loadKeyRing(entries.join(','), env);
  return { secretKeys: entries, secretKeysGenerated: false };
}

/**
 * The key ring the server and the CLI sign with, by the same rule as {@link readSecretKeys}: it is checked again
 * here because a config may come from elsewhere (`check --deploy`'s, or an object a test or an embedder built).
 *
 * @example
 * const keyRing = appKeyRing(config);
 */
export function appKeyRing(config: Pick<AppConfig, 'env' | 'secretKeys' | 'secretKeysGenerated'>): KeyRing {
  if (config.secretKeysGenerated && config.env !== 'development') throw missing(config.env);
  return loadKeyRing(config.secretKeys.join(','), config.env);
}

/**
 * `SMARTER_STORE_SHARD_KEY` as a secret, by the signing keys' strength rule: outside development a weak value (short,
 * repetitive, or a known placeholder) is refused, since its digest is journaled with the settings and a weak key could
 * be guessed from it offline.
 *
 * @example
 * const storeShardKey = readShardKey(env.SMARTER_STORE_SHARD_KEY, 'production');
 */
export function readShardKey(raw: string | undefined, env: SmarterEnv): Secret | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (env !== 'development') {
    try {
      parseKeyRing(`shards:${raw}`);
    } catch {
      throw new SmarterConfigError(
        'SMARTER_STORE_SHARD_KEY is weak: use at least 32 random characters (for example: openssl rand -hex 32).',
      );
    }
  }
  return new Secret(raw);
}
