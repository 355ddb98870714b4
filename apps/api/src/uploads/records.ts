/** Metadata of a stored upload. The bytes live in an `UploadStorage` under `storageKey`. */
export interface UploadRecord {
  readonly id: string;
  readonly storageKey: string;
  /** Sanitised original name (metadata only). */
  readonly name: string;
  readonly extension: string;
  /** From the type table, never from the client. */
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly createdAt: number;
  readonly accountId: string | undefined;
  readonly agent: string | undefined;
  readonly uploadedBy: string | undefined;
}

/** Upload metadata storage (port); the data package implements it over its tables later. */
export interface UploadRepository {
  create(record: UploadRecord): Promise<void>;
  get(id: string): Promise<UploadRecord | undefined>;
  listByAccount(accountId: string | undefined): Promise<UploadRecord[]>;
}

/** An {@link UploadRepository} in memory. */
export function memoryUploadRepository(): UploadRepository {
  const rows = new Map<string, UploadRecord>();
  return {
    create: async (record) => {
      rows.set(record.id, record);
    },
    get: async (id) => rows.get(id),
    listByAccount: async (accountId) => [...rows.values()].filter((r) => r.accountId === accountId),
  };
}
