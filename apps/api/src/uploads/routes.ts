import { unauthenticatedResponse } from '@smarter/auth';
import { isSmarterError, problemResponse, requestIdOf } from '@smarter/security';
import { type Context, Hono } from 'hono';
import { attachmentResponse, uploadView } from './serve.ts';
import { acceptUpload, type UploadContext, type UploadServiceDeps } from './service.ts';

/** Options of {@link uploadRoutes}. */
export interface UploadRoutesOptions extends UploadServiceDeps {
  /** Who is uploading (account, owner, principal…), from the auth layer; undefined answers 401. */
  readonly contextOf: (c: Context) => UploadContext | undefined | Promise<UploadContext | undefined>;
}

const ID = /^[A-Za-z0-9_-]{8,64}$/;

function problem(c: Context, status: number, code: string, title: string): Response {
  return problemResponse({ status, code, title, requestId: requestIdOf(c) }, { 'cache-control': 'no-store' });
}

/**
 * Upload routes (mount under `/api/v1/uploads`): `POST /` (multipart, field `file`), `GET /` (list),
 * `GET /{id}` (download, as an attachment). Authentication and scopes are applied by the caller upstream.
 *
 * @example
 * app.route('/api/v1/uploads', uploadRoutes({ policy: resolveUploadOptions(), storage, repository }));
 */
export function uploadRoutes(options: UploadRoutesOptions): Hono {
  const app = new Hono();
  const contextOf = options.contextOf;

  app.post('/', async function createUpload(c) {
    const context = await contextOf(c);
    if (!context) return unauthenticatedResponse(c);
    try {
      const records = await acceptUpload(c.req.raw, options, context, () => c.req.arrayBuffer());
      c.header('cache-control', 'no-store');
      return c.json({ uploads: records.map(uploadView) }, 201);
    } catch (error) {
      if (isSmarterError(error) && error.status < 600) return problem(c, error.status, error.code, error.message);
      throw error;
    }
  });

  app.get('/', async function listUploads(c) {
    const context = await contextOf(c);
    if (!context) return unauthenticatedResponse(c);
    const records = await options.repository.listByOwner(context.ownerId);
    c.header('cache-control', 'no-store');
    return c.json({ uploads: records.map(uploadView) });
  });

  app.get('/:id', async function downloadUpload(c) {
    const id = c.req.param('id');
    const context = await contextOf(c);
    if (!context) return unauthenticatedResponse(c);
    const record = ID.test(id) ? await options.repository.getById(id) : undefined;
    // Another account's upload, or another member's, is answered exactly like a missing one; the account's admins
    // read them all.
    const readable =
      record !== undefined &&
      record.accountId === context.accountId &&
      (record.ownerId === context.ownerId || context.readsAccount === true);
    if (!record || !readable) return problem(c, 404, 'NOT_FOUND', 'Not found');
    let bytes: Uint8Array | undefined;
    try {
      bytes = await options.storage.get(record.storedName);
    } catch (error) {
      if (isSmarterError(error)) return problem(c, error.status, error.code, error.message);
      throw error;
    }
    if (!bytes) return problem(c, 404, 'NOT_FOUND', 'Not found');
    return attachmentResponse(record, bytes);
  });
  return app;
}
