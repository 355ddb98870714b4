import { constants } from 'node:fs';
import { mkdir, open, realpath, unlink } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { UploadError } from '../uploads/errors.ts';
import { assertStorageKey, type UploadStorage } from '../uploads/storage.ts';

/**
 * A filesystem {@link UploadStorage} confined to `root` (Node, Bun, Deno): keys are random hex, files are created
 * exclusively (`O_EXCL`), never through a symlink (`O_NOFOLLOW`), mode 0600, and every path is checked to stay
 * inside the real root.
 *
 * @example
 * const storage = await fsStorage(config.mediaRoot);
 */
export async function fsStorage(root: string): Promise<UploadStorage> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  const realRoot = await realpath(resolve(root));
  const pathOf = (key: string): string => {
    assertStorageKey(key);
    const path = resolve(realRoot, key.slice(0, 2), key);
    if (!path.startsWith(realRoot + sep)) throw new UploadError('STORAGE_UNAVAILABLE');
    return path;
  };
  const wrap = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (cause) {
      if (cause instanceof UploadError) throw cause;
      throw new UploadError('STORAGE_UNAVAILABLE', { cause });
    }
  };
  return {
    kind: 'filesystem',
    put: (key, bytes) =>
      wrap(async () => {
        const path = pathOf(key);
        await mkdir(resolve(path, '..'), { recursive: true, mode: 0o700 });
        const handle = await open(
          path,
          constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
          0o600,
        );
        try {
          await handle.writeFile(bytes);
        } finally {
          await handle.close();
        }
      }),
    get: (key) =>
      wrap(async () => {
        const path = pathOf(key);
        try {
          const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
          try {
            return new Uint8Array(await handle.readFile());
          } finally {
            await handle.close();
          }
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
          throw error;
        }
      }),
    delete: (key) =>
      wrap(async () => {
        await unlink(pathOf(key)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        });
      }),
  };
}
