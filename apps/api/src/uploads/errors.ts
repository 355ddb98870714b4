import { SmarterError } from '@smarter/security';

/** Stable codes of upload refusals (SPEC §18). */
export type UploadErrorCode =
  | 'UPLOAD_NOT_MULTIPART'
  | 'UPLOAD_MALFORMED'
  | 'UPLOAD_EMPTY'
  | 'UPLOAD_TOO_LARGE'
  | 'UPLOAD_TOO_MANY_FILES'
  | 'UPLOAD_TYPE_NOT_ALLOWED'
  | 'UPLOAD_CONTENT_MISMATCH'
  | 'UPLOAD_ACTIVE_CONTENT'
  | 'UPLOAD_REJECTED'
  | 'UPLOAD_SCAN_FAILED'
  | 'STORAGE_UNAVAILABLE';

const INFO: Readonly<Record<UploadErrorCode, readonly [number, string]>> = {
  UPLOAD_NOT_MULTIPART: [415, 'Uploads must be multipart/form-data'],
  UPLOAD_MALFORMED: [400, 'The upload could not be read'],
  UPLOAD_EMPTY: [400, 'The upload holds no file, or an empty file'],
  UPLOAD_TOO_LARGE: [413, 'The upload is too large'],
  UPLOAD_TOO_MANY_FILES: [413, 'The upload holds too many files'],
  UPLOAD_TYPE_NOT_ALLOWED: [415, 'This file type is not allowed'],
  UPLOAD_CONTENT_MISMATCH: [415, 'The file content does not match its extension'],
  UPLOAD_ACTIVE_CONTENT: [415, 'The file holds active content (HTML, SVG or script)'],
  UPLOAD_REJECTED: [422, 'The file was rejected by the malware scanner'],
  UPLOAD_SCAN_FAILED: [503, 'The malware scanner is unavailable; try again later'],
  STORAGE_UNAVAILABLE: [503, 'File storage is unavailable; try again later'],
};

/** An upload refusal, safe to render as problem+json (fixed titles; never the file name or content). */
export class UploadError extends SmarterError {
  constructor(code: UploadErrorCode, options: { cause?: unknown } = {}) {
    const [status, title] = INFO[code];
    super(code, title, { status, cause: options.cause });
    this.name = 'UploadError';
  }
}
