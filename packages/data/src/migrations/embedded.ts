/** One drizzle-kit migration, embedded as data so it runs without a file system (Workers). */
export interface EmbeddedMigration {
  /** drizzle-kit's tag, e.g. `0000_init`. */
  readonly tag: string;
  /** SHA-256 of the generated SQL file. */
  readonly hash: string;
  /** The statements, in order. */
  readonly statements: readonly string[];
}
