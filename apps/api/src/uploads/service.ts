import type { Journal } from '@smarter/security';
import { isSmarterError } from '@smarter/security';
import { toHex } from '../internal/hex.ts';
import { UploadError } from './errors.ts';
import { inspectFile } from './inspect.ts';
import { type BufferedBody, readMultipartFiles } from './multipart.ts';
import { extensionOf, randomStorageKey, sanitizeFileName } from './names.ts';
import type { ResolvedUploadOptions } from './policy.ts';
import type { UploadRecord, UploadRepository } from './records.ts';
import { type MalwareScanner, noopScanner } from './scanner.ts';
import type { UploadStorage } from './storage.ts';

/** What the upload path is built from. */
export interface UploadServiceDeps {
  readonly policy: ResolvedUploadOptions;
  readonly storage: UploadStorage;
  readonly repository: UploadRepository;
  /** @default noopScanner */
  readonly scanner?: MalwareScanner;
  readonly journal?: Journal;
}

/** Who uploads, for the records and the journal (from the auth layer). */
export interface UploadContext {
  readonly accountId: string;
  /** The user who owns the upload. */
  readonly ownerId: string;
  /** May read every upload of the account (its admins, superusers), not only the owner's own. @default false */
  readonly readsAccount?: boolean | undefined;
  /** The agent the file is knowledge for, if any. */
  readonly agentId?: string | null | undefined;
  /** User or key id for the journal (never a token). */
  readonly principal?: string | undefined;
  readonly requestId?: string | undefined;
  readonly clientKey?: string | undefined;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return toHex(digest);
}

interface Checked {
  readonly name: string;
  readonly extension: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
  readonly sha256: string;
}

/**
 * Accepts a multipart upload (SPEC §18): limits, extension allowlist, magic bytes that agree with the extension,
 * no active content, the malware scanner; then stores every file under a random key and records its metadata.
 * All files are checked before any is stored. Every refusal is journaled as `upload.rejected` and thrown as an
 * `UploadError` (problem+json ready).
 *
 * @example
 * const records = await acceptUpload(c.req.raw, deps, { accountId, principal });
 */
export async function acceptUpload(
  request: Request,
  deps: UploadServiceDeps,
  context: UploadContext,
  buffered?: BufferedBody,
): Promise<UploadRecord[]> {
  const scanner = deps.scanner ?? noopScanner;
  const reject = (error: unknown, details: Record<string, unknown> = {}): never => {
    const failure = isSmarterError(error) ? error : new UploadError('STORAGE_UNAVAILABLE', { cause: error });
    deps.journal?.emit({
      type: 'upload.rejected',
      severity: failure.code === 'UPLOAD_REJECTED' ? 'warning' : 'notice',
      reason: failure.code,
      status: failure.status,
      requestId: context.requestId,
      clientKey: context.clientKey,
      principal: context.principal,
      account: context.accountId,
      agent: context.agentId ?? undefined,
      details,
    });
    throw failure;
  };

  let files: Awaited<ReturnType<typeof readMultipartFiles>>;
  try {
    files = await readMultipartFiles(request, deps.policy, buffered);
  } catch (error) {
    return reject(error);
  }

  const checked: Checked[] = [];
  for (const file of files) {
    const name = sanitizeFileName(file.clientName);
    const extension = extensionOf(name);
    const details = { extension: extension.slice(0, 10), size: file.bytes.byteLength };
    const rule = deps.policy.allowed.get(extension);
    if (!rule) return reject(new UploadError('UPLOAD_TYPE_NOT_ALLOWED'), details);
    let contentType: string;
    try {
      contentType = await inspectFile(file.bytes, rule, deps.policy.allowActive);
    } catch (error) {
      return reject(error, details);
    }
    const sha256 = await sha256Hex(file.bytes);
    let verdict: Awaited<ReturnType<MalwareScanner['scan']>>;
    try {
      verdict = await scanner.scan({ bytes: file.bytes, extension, contentType, sha256 });
    } catch (cause) {
      return reject(new UploadError('UPLOAD_SCAN_FAILED', { cause }), { ...details, scanner: scanner.name });
    }
    if (!verdict.clean) {
      return reject(new UploadError('UPLOAD_REJECTED'), {
        ...details,
        sha256,
        scanner: scanner.name,
        verdict: verdict.reason.slice(0, 200),
      });
    }
    checked.push({ name, extension, contentType, bytes: file.bytes, sha256 });
  }

  // All or nothing: when one file cannot be stored, what was stored of the others goes too, so an upload answered
  // with an error leaves no bytes and no rows behind (a retry would otherwise pay for them again).
  const records: UploadRecord[] = [];
  const stored: string[] = [];
  for (const file of checked) {
    const storedName = randomStorageKey();
    try {
      await deps.storage.put(storedName, file.bytes, file.contentType);
      stored.push(storedName);
      records.push(
        await deps.repository.create({
          accountId: context.accountId,
          ownerId: context.ownerId,
          agentId: context.agentId ?? null,
          storedName,
          originalName: file.name,
          contentType: file.contentType,
          size: file.bytes.byteLength,
          sha256: file.sha256,
        }),
      );
    } catch (error) {
      // A put that failed halfway may have left bytes under its key: it is deleted too.
      await Promise.allSettled([
        ...records.map((record) => deps.repository.delete(record.id)),
        ...[...stored, storedName].map((key) => deps.storage.delete(key)),
      ]);
      return reject(error, { extension: file.extension, size: file.bytes.byteLength });
    }
  }
  return records;
}
