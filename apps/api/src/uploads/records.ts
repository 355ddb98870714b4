/**
 * Metadata of a stored upload; the same shape as `@smarter/data`'s `UploadRecord`, so its repository plugs in as is.
 * The bytes live in an `UploadStorage` under `storedName`.
 */
export interface UploadRecord {
  readonly id: string;
  readonly accountId: string;
  readonly ownerId: string;
  readonly agentId: string | null;
  /** Random name in storage; never derived from the client's file name. */
  readonly storedName: string;
  /** The sanitised client file name, kept as metadata only. */
  readonly originalName: string;
  /** From the type table (after sniffing), never from the client. */
  readonly contentType: string;
  readonly size: number;
  /** SHA-256 of the content, hex. */
  readonly sha256: string;
  readonly createdAt: number;
}

/** What {@link UploadRepository.create} needs. */
export type NewUpload = Omit<UploadRecord, 'id' | 'createdAt'>;

/** Upload metadata storage (port): the subset of `@smarter/data`'s `UploadRepository` the upload path uses. */
export interface UploadRepository {
  create(input: NewUpload): Promise<UploadRecord>;
  getById(id: string): Promise<UploadRecord | undefined>;
  listByOwner(ownerId: string): Promise<UploadRecord[]>;
}

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
  };
}
