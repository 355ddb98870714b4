export { UploadError, type UploadErrorCode } from './errors.ts';
export { hasActiveContent, inspectFile } from './inspect.ts';
export { type IncomingFile, readMultipartFiles } from './multipart.ts';
export { extensionOf, randomStorageKey, STORAGE_KEY, sanitizeFileName } from './names.ts';
export {
  FILE_TYPES,
  type FileTypeRule,
  type ResolvedUploadOptions,
  resolveUploadOptions,
  type UploadOptions,
} from './policy.ts';
export { memoryUploadRepository, type NewUpload, type UploadRecord, type UploadRepository } from './records.ts';
export { type UploadRoutesOptions, uploadRoutes } from './routes.ts';
export { type S3StorageOptions, s3Storage } from './s3-storage.ts';
export { type MalwareScanner, noopScanner, type ScanInput, type ScanVerdict } from './scanner.ts';
export { attachmentResponse, contentDisposition, uploadView } from './serve.ts';
export { acceptUpload, type UploadContext, type UploadServiceDeps } from './service.ts';
export { assertStorageKey, memoryStorage, type UploadStorage } from './storage.ts';
