import type { UploadRepository as DataUploadRepository, UploadRecord } from '@smarter/data';

/**
 * Upload metadata is `@smarter/data`'s `UploadRecord` (random `storedName`, sanitised `originalName`, sniffed
 * `contentType`, SHA-256); the bytes live in an `UploadStorage` under `storedName`.
 */
export type { NewUpload, UploadRecord } from '@smarter/data';

/** Upload metadata storage (port): the subset of `@smarter/data`'s `UploadRepository` the upload path uses. */
export type UploadRepository = Pick<DataUploadRepository, 'create' | 'getById' | 'listByOwner' | 'delete'>;

/** An {@link UploadRepository} in memory (tests; the server uses the data package's). */
export function memoryUploadRepository(now: () => number = Date.now): UploadRepository {
  const rows = new Map<string, UploadRecord>();
  return {
    create: async (input) => {
      const record: UploadRecord = { ...input, id: crypto.randomUUID(), createdAt: now() };
      rows.set(record.id, record);
      return record;
    },
    getById: async (id) => rows.get(id),
    listByOwner: async (ownerId) => [...rows.values()].filter((r) => r.ownerId === ownerId),
    delete: async (id) => rows.delete(id),
  };
}
