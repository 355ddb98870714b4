/** Numeric parameters of a hashing engine, as written in the PHC string (`ln=15,r=8,p=1`). */
export type EngineParams = Readonly<Record<string, number>>;

/**
 * A password-hashing engine behind the one self-describing format (SPEC §14). The runtime entry picks it:
 * scrypt through `node:crypto` on Node, Bun and Deno (`@smarter/auth/password-node`), PBKDF2-SHA-256 through
 * WebCrypto on Workers ({@link pbkdf2Engine}).
 */
export interface PasswordEngine {
  /** PHC algorithm id, e.g. `scrypt` or `pbkdf2-sha256`. */
  readonly algorithm: string;
  /** Parameters new hashes use. */
  readonly params: EngineParams;
  /** Parameter names in PHC order. */
  readonly paramNames: readonly string[];
  /** Throws when stored parameters are out of the safe range (refuses to run a hostile or absurd hash). */
  checkParams(params: EngineParams): void;
  /** Derives `length` bytes from the password and salt. */
  derive(password: Uint8Array, salt: Uint8Array, params: EngineParams, length: number): Promise<Uint8Array>;
}
