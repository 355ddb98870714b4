import { Secret, SmarterConfigError } from '@smarter/security';
import { AwsClient } from 'aws4fetch';
import { toHex } from '../internal/hex.ts';
import { UploadError } from './errors.ts';
import { assertStorageKey, type UploadStorage } from './storage.ts';

/** Options of {@link s3Storage}. */
export interface S3StorageOptions {
  /** Endpoint, e.g. `https://s3.eu-west-1.amazonaws.com` or a MinIO/R2 URL. */
  readonly endpoint: string;
  readonly bucket: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: Secret;
  /** Key prefix inside the bucket. @default 'uploads/' */
  readonly prefix?: string;
  /** Allow plain http to hosts other than loopback. @default false */
  readonly dangerouslyAllowInsecureHttp?: boolean;
  /** The fetch to use. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/**
 * An S3-compatible {@link UploadStorage} (AWS S3, MinIO, R2, Ceph), path-style, requests signed with SigV4 by
 * `aws4fetch` (WebCrypto, so it runs on every runtime). Objects are private; bytes are served by the app.
 *
 * @example
 * s3Storage({ endpoint, bucket: 'smarter', accessKeyId, secretAccessKey: new Secret(secret) });
 */
export function s3Storage(options: S3StorageOptions): UploadStorage {
  if (!(options.secretAccessKey instanceof Secret)) {
    throw new SmarterConfigError('secretAccessKey must be a Secret: pass new Secret(value).');
  }
  let endpoint: URL;
  try {
    endpoint = new URL(options.endpoint);
  } catch {
    throw new SmarterConfigError('endpoint must be an absolute URL such as https://s3.eu-west-1.amazonaws.com.');
  }
  if (endpoint.protocol === 'http:' && !LOOPBACK.test(endpoint.hostname) && !options.dangerouslyAllowInsecureHttp) {
    throw new SmarterConfigError('endpoint uses plain http to a remote host: use https://.');
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucket)) {
    throw new SmarterConfigError('bucket must be a valid S3 bucket name (lower-case letters, digits, dots, hyphens).');
  }
  const prefix = options.prefix ?? 'uploads/';
  if (!/^(?:[a-z0-9_-]+\/)*$/i.test(prefix)) throw new SmarterConfigError('prefix must look like "uploads/".');
  const client = new AwsClient({
    accessKeyId: options.accessKeyId,
    secretAccessKey: options.secretAccessKey.reveal(),
    service: 's3',
    region: options.region ?? 'us-east-1',
  });
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const base = `${endpoint.href.replace(/\/+$/, '')}/${options.bucket}/${prefix}`;

  async function send(method: string, key: string, body?: Uint8Array, contentType?: string): Promise<Response> {
    assertStorageKey(key);
    // Sign the payload hash (aws4fetch would send UNSIGNED-PAYLOAD for s3), so a proxy cannot swap the bytes.
    const digest = await crypto.subtle.digest('SHA-256', (body ?? new Uint8Array(0)) as Uint8Array<ArrayBuffer>);
    const headers: Record<string, string> = {
      'x-amz-content-sha256': toHex(digest),
    };
    if (contentType) headers['content-type'] = contentType;
    try {
      const signed = await client.sign(base + key, {
        method,
        headers,
        ...(body ? { body: body as Uint8Array<ArrayBuffer> } : {}),
      });
      return await doFetch(signed, { redirect: 'manual' });
    } catch (cause) {
      throw new UploadError('STORAGE_UNAVAILABLE', { cause });
    }
  }

  return {
    kind: 's3',
    async put(key, bytes, contentType) {
      const res = await send('PUT', key, bytes, contentType);
      await res.body?.cancel().catch(() => {});
      if (!res.ok) throw new UploadError('STORAGE_UNAVAILABLE');
    },
    async get(key) {
      const res = await send('GET', key);
      if (res.status === 404) {
        await res.body?.cancel().catch(() => {});
        return undefined;
      }
      if (!res.ok) {
        await res.body?.cancel().catch(() => {});
        throw new UploadError('STORAGE_UNAVAILABLE');
      }
      return new Uint8Array(await res.arrayBuffer());
    },
    async delete(key) {
      const res = await send('DELETE', key);
      await res.body?.cancel().catch(() => {});
      if (!res.ok && res.status !== 404) throw new UploadError('STORAGE_UNAVAILABLE');
    },
  };
}
