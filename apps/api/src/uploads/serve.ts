import { extensionOf } from './names.ts';
import type { UploadRecord } from './records.ts';

/** Headers of every served upload: download only, no sniffing, and a sandbox if a browser renders it anyway. */
const ATTACHMENT_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
  'cache-control': 'private, no-store',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

/** `Content-Disposition: attachment` with an ASCII fallback and the RFC 5987 UTF-8 name. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The response that serves an upload's bytes (always as an attachment). */
export function attachmentResponse(record: UploadRecord, bytes: Uint8Array): Response {
  return new Response(bytes as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: Object.assign({}, ATTACHMENT_HEADERS, {
      'content-type': record.contentType,
      'content-length': String(bytes.byteLength),
      'content-disposition': contentDisposition(record.originalName),
    }),
  });
}

/** The JSON view of an upload record (no storage name, no account internals). */
export function uploadView(record: UploadRecord): Record<string, unknown> {
  return {
    id: record.id,
    name: record.originalName,
    extension: extensionOf(record.originalName),
    contentType: record.contentType,
    size: record.size,
    sha256: record.sha256,
    createdAt: new Date(record.createdAt).toISOString(),
  };
}
