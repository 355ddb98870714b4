import { UploadError } from './errors.ts';
import type { ResolvedUploadOptions } from './policy.ts';

/** One file of a multipart upload, read into memory within the limits. */
export interface IncomingFile {
  /** The client's file name, unsanitised: never use it as a path. */
  readonly clientName: string;
  readonly bytes: Uint8Array;
}

/** Room for multipart boundaries and part headers on top of the file bytes. */
const ENVELOPE_BYTES = 64 * 1024;
const MAX_FIELDS = 50;

/** Where the body went when an earlier layer read it (a chunked body the body limit counted and kept). */
export type BufferedBody = () => Promise<ArrayBuffer>;

async function readCapped(request: Request, max: number, buffered?: BufferedBody): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > max) throw new UploadError('UPLOAD_TOO_LARGE');
  if (request.bodyUsed || request.body?.locked) {
    if (!buffered) throw new UploadError('UPLOAD_MALFORMED');
    const bytes = new Uint8Array(await buffered());
    if (bytes.byteLength > max) throw new UploadError('UPLOAD_TOO_LARGE');
    return bytes;
  }
  if (!request.body) throw new UploadError('UPLOAD_EMPTY');
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (cause) {
      throw new UploadError('UPLOAD_MALFORMED', { cause });
    }
    if (chunk.done) break;
    size += chunk.value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw new UploadError('UPLOAD_TOO_LARGE');
    }
    chunks.push(chunk.value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    all.set(c, offset);
    offset += c.byteLength;
  }
  return all;
}

/**
 * Reads a `multipart/form-data` upload with limits counted while streaming (the body is never buffered past
 * `maxTotalBytes` plus a small envelope), then checks the number and size of the files. When an earlier layer has
 * already read the body (the body limit counts a chunked one and keeps it), `buffered` gives those bytes.
 *
 * @example
 * const files = await readMultipartFiles(c.req.raw, resolveUploadOptions());
 */
export async function readMultipartFiles(
  request: Request,
  policy: ResolvedUploadOptions,
  buffered?: BufferedBody,
): Promise<IncomingFile[]> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\s*;\s*boundary=/i.test(contentType)) throw new UploadError('UPLOAD_NOT_MULTIPART');
  const body = await readCapped(request, policy.maxTotalBytes + ENVELOPE_BYTES, buffered);
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch (cause) {
    throw new UploadError('UPLOAD_MALFORMED', { cause });
  }
  const files: IncomingFile[] = [];
  let fields = 0;
  let total = 0;
  for (const [, value] of form) {
    if (++fields > MAX_FIELDS) throw new UploadError('UPLOAD_TOO_MANY_FILES');
    if (typeof value === 'string') continue;
    if (files.length >= policy.maxFiles) throw new UploadError('UPLOAD_TOO_MANY_FILES');
    if (value.size > policy.maxFileBytes) throw new UploadError('UPLOAD_TOO_LARGE');
    total += value.size;
    if (total > policy.maxTotalBytes) throw new UploadError('UPLOAD_TOO_LARGE');
    if (value.size === 0) throw new UploadError('UPLOAD_EMPTY');
    files.push({ clientName: value.name, bytes: new Uint8Array(await value.arrayBuffer()) });
  }
  if (files.length === 0) throw new UploadError('UPLOAD_EMPTY');
  return files;
}
