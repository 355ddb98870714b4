import { SmarterConfigError, SmarterError } from '@smarter/security';
import { fromB64NoPad, randomBytes, timingSafeEqual, toB64NoPad, utf8 } from '../internal/bytes.ts';
import type { EngineParams, PasswordEngine } from './engine.ts';

/** Options of {@link createPasswordHasher}. */
export interface PasswordHasherOptions {
  /** Engine for new hashes (also verifies its own). */
  readonly engine: PasswordEngine;
  /** Engines that can still verify older hashes (which are then rehashed on login). @default [] */
  readonly legacyEngines?: readonly PasswordEngine[];
  /** Longest password hashed, in characters; longer input is refused without hashing. @default 4096 */
  readonly maxInputLength?: number;
}

/** Result of {@link PasswordHasher.verify}. */
export interface PasswordCheck {
  readonly ok: boolean;
  /** True when the hash uses an older engine or parameters: store `hash(password)` after a successful login. */
  readonly needsRehash: boolean;
}

/** Hashes and verifies passwords in one PHC-style format: `$<alg>$<k=v,…>$<salt>$<hash>`. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, encoded: string): Promise<PasswordCheck>;
  /** Spends the same work as a real verification, for unknown users (uniform timing). Always false. */
  verifyDummy(password: string): Promise<false>;
  /** True when `encoded` would be rehashed. */
  needsRehash(encoded: string): boolean;
}

const SALT_BYTES = 16;
const HASH_BYTES = 32;

/** A parsed PHC string. */
export interface ParsedPasswordHash {
  readonly algorithm: string;
  readonly params: EngineParams;
  readonly salt: Uint8Array;
  readonly hash: Uint8Array;
}

/** Parses `$alg$k=v,…$salt$hash`; undefined when malformed. */
export function parsePasswordHash(encoded: string): ParsedPasswordHash | undefined {
  const parts = encoded.split('$');
  if (parts.length !== 5 || parts[0] !== '') return undefined;
  const [, algorithm = '', paramText = '', saltText = '', hashText = ''] = parts;
  const params: Record<string, number> = {};
  for (const pair of paramText.split(',')) {
    const match = /^([a-z]{1,8})=(\d{1,10})$/.exec(pair);
    if (!match) return undefined;
    params[match[1] as string] = Number(match[2]);
  }
  const salt = fromB64NoPad(saltText);
  const hash = fromB64NoPad(hashText);
  if (!/^[a-z0-9-]{1,32}$/.test(algorithm) || !salt || !hash || salt.length < 8 || hash.length < 16) return undefined;
  return { algorithm, params, salt, hash };
}

function format(engine: PasswordEngine, params: EngineParams, salt: Uint8Array, hash: Uint8Array): string {
  const p = engine.paramNames.map((name) => `${name}=${params[name]}`).join(',');
  return `$${engine.algorithm}$${p}$${toB64NoPad(salt)}$${toB64NoPad(hash)}`;
}

function sameParams(engine: PasswordEngine, params: EngineParams): boolean {
  return engine.paramNames.every((name) => params[name] === engine.params[name]);
}

/**
 * Creates the hasher. Verification replays the stored parameters; `needsRehash` says when to upgrade.
 *
 * @example
 * import { scryptEngine } from '@smarter/auth/password-node';
 * const hasher = createPasswordHasher({ engine: scryptEngine(), legacyEngines: [pbkdf2Engine()] });
 */
export function createPasswordHasher(options: PasswordHasherOptions): PasswordHasher {
  if (!options?.engine)
    throw new SmarterConfigError('createPasswordHasher needs { engine }: scryptEngine() or pbkdf2Engine().');
  const engine = options.engine;
  const engines = new Map<string, PasswordEngine>();
  for (const e of options.legacyEngines ?? []) engines.set(e.algorithm, e);
  engines.set(engine.algorithm, engine);
  const maxInputLength = options.maxInputLength ?? 4096;
  let dummy: Promise<string> | undefined;

  async function hash(password: string): Promise<string> {
    if (password.length > maxInputLength) {
      throw new SmarterError('PASSWORD_TOO_LONG', 'Password is too long', { status: 400 });
    }
    const salt = randomBytes(SALT_BYTES);
    const derived = await engine.derive(utf8(password), salt, engine.params, HASH_BYTES);
    return format(engine, engine.params, salt, derived);
  }

  async function verify(password: string, encoded: string): Promise<PasswordCheck> {
    const parsed = parsePasswordHash(encoded);
    const e = parsed && engines.get(parsed.algorithm);
    if (!parsed || !e || password.length > maxInputLength) {
      await verifyDummy(password.slice(0, maxInputLength));
      return { ok: false, needsRehash: false };
    }
    e.checkParams(parsed.params);
    const derived = await e.derive(utf8(password), parsed.salt, parsed.params, parsed.hash.length);
    const ok = timingSafeEqual(derived, parsed.hash);
    return { ok, needsRehash: ok && (e !== engine || !sameParams(engine, parsed.params)) };
  }

  async function verifyDummy(password: string): Promise<false> {
    dummy ??= hash('smarter-dummy-password-for-uniform-timing');
    const parsed = parsePasswordHash(await dummy) as ParsedPasswordHash;
    const derived = await engine.derive(utf8(password), parsed.salt, parsed.params, parsed.hash.length);
    timingSafeEqual(derived, parsed.hash);
    return false;
  }

  return {
    hash,
    verify,
    verifyDummy,
    needsRehash(encoded) {
      const parsed = parsePasswordHash(encoded);
      return !parsed || parsed.algorithm !== engine.algorithm || !sameParams(engine, parsed.params);
    },
  };
}
