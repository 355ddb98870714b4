import { and, asc, eq, isNotNull, lte } from 'drizzle-orm';
import { wrapDriver } from '../core/data-error.ts';
import type { Database } from '../core/database.ts';
import { first, newId, queries } from '../internal/orm.ts';
import type { RepositoryOptions } from './options.ts';

/**
 * A stored secret (SPEC §17): ciphertext only. Encryption (AES-GCM under the key ring) is `@smarter/auth`'s job;
 * this package never sees the plaintext.
 */
export interface SecretRecord {
  readonly id: string;
  readonly accountId: string;
  /** The user who owns it. */
  readonly ownerId: string;
  /** Unique per account. */
  readonly name: string;
  /** AES-GCM ciphertext (with its IV), base64url. */
  readonly ciphertext: string;
  /** Id of the key-ring key that encrypted it. */
  readonly keyId: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly expiresAt: number | null;
  readonly lastAccessedAt: number | null;
}

/** What {@link SecretRepository.create} needs. */
export type NewSecret = Pick<SecretRecord, 'accountId' | 'ownerId' | 'name' | 'ciphertext' | 'keyId' | 'expiresAt'>;

/** Secrets storage. */
export interface SecretRepository {
  create(input: NewSecret): Promise<SecretRecord>;
  getById(id: string): Promise<SecretRecord | undefined>;
  getByName(accountId: string, name: string): Promise<SecretRecord | undefined>;
  listByAccount(accountId: string): Promise<SecretRecord[]>;
  /** Records a read (for audits and unused-secret reports). */
  markAccessed(id: string, at: number): Promise<void>;
  /**
   * Compare-and-swap re-encryption (key rotation): replaces the ciphertext only while it is still under
   * `expectedKeyId`; true when it did.
   */
  replaceCiphertext(id: string, ciphertext: string, keyId: string, expectedKeyId: string): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  /** Deletes secrets whose expiry is at or before `now`; returns how many. */
  deleteExpired(now: number): Promise<number>;
}

/** Secrets over a {@link Database}. */
export function secretRepository(db: Database, options: RepositoryOptions = {}): SecretRepository {
  const { orm, t } = queries(db);
  const now = options.now ?? Date.now;
  return {
    create: (input) =>
      wrapDriver(async () => {
        const at = now();
        const record: SecretRecord = { ...input, id: newId(), createdAt: at, updatedAt: at, lastAccessedAt: null };
        await orm.insert(t.secrets).values(record);
        return record;
      }),
    getById: (id) =>
      wrapDriver(async () => first(await orm.select().from(t.secrets).where(eq(t.secrets.id, id)).limit(1))),
    getByName: (accountId, name) =>
      wrapDriver(async () =>
        first(
          await orm
            .select()
            .from(t.secrets)
            .where(and(eq(t.secrets.accountId, accountId), eq(t.secrets.name, name)))
            .limit(1),
        ),
      ),
    listByAccount: (accountId) =>
      wrapDriver(() =>
        orm.select().from(t.secrets).where(eq(t.secrets.accountId, accountId)).orderBy(asc(t.secrets.name)),
      ),
    markAccessed: (id, at) =>
      wrapDriver(async () => {
        await orm.update(t.secrets).set({ lastAccessedAt: at }).where(eq(t.secrets.id, id));
      }),
    replaceCiphertext: (id, ciphertext, keyId, expectedKeyId) =>
      wrapDriver(async () => {
        const changed = await orm
          .update(t.secrets)
          .set({ ciphertext, keyId, updatedAt: now() })
          .where(and(eq(t.secrets.id, id), eq(t.secrets.keyId, expectedKeyId)))
          .returning({ id: t.secrets.id });
        return changed.length > 0;
      }),
    delete: (id) =>
      wrapDriver(async () => {
        const deleted = await orm.delete(t.secrets).where(eq(t.secrets.id, id)).returning({ id: t.secrets.id });
        return deleted.length > 0;
      }),
    deleteExpired: (at) =>
      wrapDriver(async () => {
        const deleted = await orm
          .delete(t.secrets)
          .where(and(isNotNull(t.secrets.expiresAt), lte(t.secrets.expiresAt, at)))
          .returning({ id: t.secrets.id });
        return deleted.length;
      }),
  };
}
