import { asc, eq } from 'drizzle-orm';
import { wrapDriver } from '../core/data-error.ts';
import type { Database } from '../core/database.ts';
import { first, newId, queries } from '../internal/orm.ts';
import type { RepositoryOptions } from './options.ts';

/** Metadata of an uploaded file (SPEC §18); the bytes live in a storage port under `storedName`. */
export interface UploadRecord {
  readonly id: string;
  readonly accountId: string;
  readonly ownerId: string;
  readonly agentId: string | null;
  /** Random name in storage; never derived from the client's file name. */
  readonly storedName: string;
  /** The sanitised client file name, kept as metadata only. */
  readonly originalName: string;
  /** The sniffed content type. */
  readonly contentType: string;
  readonly size: number;
  /** SHA-256 of the content, hex. */
  readonly sha256: string;
  readonly createdAt: number;
}

/** What {@link UploadRepository.create} needs. */
export type NewUpload = Omit<UploadRecord, 'id' | 'createdAt'>;

/** Upload metadata storage. */
export interface UploadRepository {
  create(input: NewUpload): Promise<UploadRecord>;
  getById(id: string): Promise<UploadRecord | undefined>;
  getByStoredName(storedName: string): Promise<UploadRecord | undefined>;
  listByOwner(ownerId: string): Promise<UploadRecord[]>;
  listByAgent(agentId: string): Promise<UploadRecord[]>;
  delete(id: string): Promise<boolean>;
}

/** Upload metadata over a {@link Database}. */
export function uploadRepository(db: Database, options: RepositoryOptions = {}): UploadRepository {
  const { orm, t } = queries(db);
  const now = options.now ?? Date.now;
  return {
    create: (input) =>
      wrapDriver(async () => {
        const record: UploadRecord = { ...input, id: newId(), createdAt: now() };
        await orm.insert(t.uploads).values(record);
        return record;
      }),
    getById: (id) =>
      wrapDriver(async () => first(await orm.select().from(t.uploads).where(eq(t.uploads.id, id)).limit(1))),
    getByStoredName: (storedName) =>
      wrapDriver(async () =>
        first(await orm.select().from(t.uploads).where(eq(t.uploads.storedName, storedName)).limit(1)),
      ),
    listByOwner: (ownerId) =>
      wrapDriver(() =>
        orm
          .select()
          .from(t.uploads)
          .where(eq(t.uploads.ownerId, ownerId))
          .orderBy(asc(t.uploads.createdAt), asc(t.uploads.id)),
      ),
    listByAgent: (agentId) =>
      wrapDriver(() =>
        orm
          .select()
          .from(t.uploads)
          .where(eq(t.uploads.agentId, agentId))
          .orderBy(asc(t.uploads.createdAt), asc(t.uploads.id)),
      ),
    delete: (id) =>
      wrapDriver(async () => {
        const deleted = await orm.delete(t.uploads).where(eq(t.uploads.id, id)).returning({ id: t.uploads.id });
        return deleted.length > 0;
      }),
  };
}
