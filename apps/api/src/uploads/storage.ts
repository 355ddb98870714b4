import { UploadError } from './errors.ts';
import { STORAGE_KEY } from './names.ts';

/**
 * Where upload bytes live (port). Keys are random (see `randomStorageKey`) and every implementation refuses any
 * other shape, so a key can never name a path outside the storage. Failures reject with `STORAGE_UNAVAILABLE`.
 * Implementations: memory (here), S3-compatible (`s3Storage`), filesystem (Node: `src/node/fs-storage.ts`).
 */
export interface UploadStorage {
  readonly kind: string;
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The bytes, or undefined when missing. */
  get(key: string): Promise<Uint8Array | undefined>;
  delete(key: string): Promise<void>;
}

/** Throws unless `key` is a storage key. */
export function assertStorageKey(key: string): void {
  if (!STORAGE_KEY.test(key)) throw new UploadError('STORAGE_UNAVAILABLE');
}

/** An {@link UploadStorage} in memory (tests, Workers previews). */
export function memoryStorage(): UploadStorage & { readonly size: number } {
  const files = new Map<string, Uint8Array>();
  return {
    kind: 'memory',
    get size() {
      return files.size;
    },
    async put(key, bytes) {
      assertStorageKey(key);
      files.set(key, bytes.slice());
    },
    async get(key) {
      assertStorageKey(key);
      return files.get(key)?.slice();
    },
    async delete(key) {
      assertStorageKey(key);
      files.delete(key);
    },
  };
}
