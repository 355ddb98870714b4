import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, symlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJournal, memorySink, Secret, SmarterConfigError } from '@smarter/security';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fsStorage } from '../node/fs-storage.ts';
import { extensionOf, randomStorageKey, sanitizeFileName } from './names.ts';
import { resolveUploadOptions } from './policy.ts';
import { memoryUploadRepository } from './records.ts';
import { uploadRoutes } from './routes.ts';
import { s3Storage } from './s3-storage.ts';
import type { MalwareScanner } from './scanner.ts';
import { memoryStorage, type UploadStorage } from './storage.ts';

const PNG = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='),
  (ch) => ch.charCodeAt(0),
);
const PDF = new TextEncoder().encode(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);
const text = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
};

function form(files: [string, Uint8Array][]): FormData {
  const fd = new FormData();
  for (const [name, bytes] of files) fd.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
  fd.append('note', 'a text field is ignored');
  return fd;
}

function setup(
  options: {
    storage?: UploadStorage;
    scanner?: MalwareScanner;
    maxFileBytes?: number;
    repository?: ReturnType<typeof memoryUploadRepository>;
  } = {},
) {
  const sink = memorySink();
  const storage = options.storage ?? memoryStorage();
  const repository = options.repository ?? memoryUploadRepository();
  const app = new Hono().route(
    '/api/v1/uploads',
    uploadRoutes({
      policy: resolveUploadOptions({ maxFileBytes: options.maxFileBytes ?? 1024 * 1024, maxFiles: 3 }),
      storage,
      repository,
      journal: createJournal({ sinks: [sink] }),
      ...(options.scanner ? { scanner: options.scanner } : {}),
      contextOf: (c) =>
        c.req.header('x-anonymous')
          ? undefined
          : {
              accountId: c.req.header('x-account') ?? 'acct-1',
              ownerId: c.req.header('x-owner') ?? 'user-1',
              readsAccount: c.req.header('x-admin') === '1',
              principal: 'user-1',
            },
    }),
  );
  const upload = (files: [string, Uint8Array][], headers: Record<string, string> = {}) =>
    app.request('/api/v1/uploads', { method: 'POST', body: form(files), headers });
  return { app, sink, storage, repository, upload };
}

describe('names', () => {
  it('sanitises client file names into metadata, never paths', () => {
    expect(sanitizeFileName('../../etc/pass\u0000wd.txt')).toBe('pass_wd.txt');
    expect(sanitizeFileName('C:\\Users\\me\\report.pdf')).toBe('report.pdf');
    expect(sanitizeFileName('evil\u202egnp.exe')).toBe('evil_gnp.exe');
    expect(sanitizeFileName('<script>.md')).toBe('_script_.md');
    expect(sanitizeFileName('...')).toBe('file');
    expect(sanitizeFileName(`${'a'.repeat(300)}.pdf`)).toMatch(/^a{116}\.pdf$/);
    expect(extensionOf('archive.tar.GZ')).toBe('gz');
    expect(extensionOf('.env')).toBe('');
    expect(randomStorageKey()).toMatch(/^[0-9a-f]{32}$/);
    expect(randomStorageKey()).not.toBe(randomStorageKey());
  });
});

describe('resolveUploadOptions', () => {
  it('defaults to SPEC §18 limits', () => {
    const o = resolveUploadOptions();
    expect(o.maxFileBytes).toBe(10 * 1024 * 1024);
    expect(o.allowed.has('pdf')).toBe(true);
    expect(o.allowed.has('html')).toBe(false);
    expect(o.allowed.has('svg')).toBe(false);
  });
  it('refuses unknown types, active content without the explicit opt-in, and misspelled options', () => {
    expect(() => resolveUploadOptions({ allowedExtensions: ['exe'] })).toThrow(SmarterConfigError);
    expect(() => resolveUploadOptions({ allowedExtensions: ['svg'] })).toThrow('dangerouslyAllowActiveContent');
    expect(() => resolveUploadOptions({ maxFileSize: 1 } as never)).toThrow('maxFileBytes');
    expect(resolveUploadOptions({ allowedExtensions: ['svg'], dangerouslyAllowActiveContent: true }).allowActive).toBe(
      true,
    );
  });
});

describe('upload routes', () => {
  it('stores accepted files under random keys and serves them as attachments', async () => {
    const { upload, app, storage } = setup();
    const res = await upload([
      ['../Quarterly report.pdf', PDF],
      ['logo.png', PNG],
      // Notes may quote the HTML an image or a PDF may not hold (only <script>, <svg>… are refused in text).
      ['notes.md', text('# Notes\n<div align="center"><img src="logo.png"></div>\n<!-- draft -->')],
    ]);
    expect(res.status).toBe(201);
    const { uploads } = await res.json();
    expect(uploads.map((u: { name: string; contentType: string }) => [u.name, u.contentType])).toEqual([
      ['Quarterly report.pdf', 'application/pdf'],
      ['logo.png', 'image/png'],
      ['notes.md', 'text/markdown; charset=utf-8'],
    ]);
    expect(uploads[0].sha256).toBe(createHash('sha256').update(PDF).digest('hex'));
    expect(uploads[0]).not.toHaveProperty('storedName');
    expect(uploads[0].extension).toBe('pdf');
    expect((storage as ReturnType<typeof memoryStorage>).size).toBe(3);

    const download = await app.request(`/api/v1/uploads/${uploads[0].id}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="Quarterly report.pdf"; filename*=UTF-8''Quarterly%20report.pdf`,
    );
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PDF);

    // Another account gets the same answer as for a missing id.
    const other = await app.request(`/api/v1/uploads/${uploads[0].id}`, { headers: { 'x-account': 'acct-2' } });
    expect(other.status).toBe(404);
    expect((await app.request('/api/v1/uploads/..%2F..%2Fetc')).status).toBe(404);
    const list = await (await app.request('/api/v1/uploads')).json();
    expect(list.uploads).toHaveLength(3);
    const anonymous = await app.request('/api/v1/uploads', { headers: { 'x-anonymous': '1' } });
    expect(anonymous.status).toBe(401);
  });

  it.each([
    ['a disallowed extension', [['tool.exe', PNG]], 415, 'UPLOAD_TYPE_NOT_ALLOWED'],
    ['no extension', [['Makefile', text('all:')]], 415, 'UPLOAD_TYPE_NOT_ALLOWED'],
    ['a PNG named .pdf', [['report.pdf', PNG]], 415, 'UPLOAD_CONTENT_MISMATCH'],
    ['a PDF named .txt', [['notes.txt', PDF]], 415, 'UPLOAD_CONTENT_MISMATCH'],
    ['binary named .csv', [['data.csv', Uint8Array.of(0, 159, 146, 150)]], 415, 'UPLOAD_CONTENT_MISMATCH'],
    ['invalid JSON named .json', [['data.json', text('{nope')]], 415, 'UPLOAD_CONTENT_MISMATCH'],
    [
      'HTML named .txt',
      [['page.txt', text('<!DOCTYPE html><html><body>hi</body></html>')]],
      415,
      'UPLOAD_ACTIVE_CONTENT',
    ],
    ['an HTML file', [['page.html', text('<p>hi</p>')]], 415, 'UPLOAD_TYPE_NOT_ALLOWED'],
    [
      'an SVG file',
      [['icon.svg', text('<svg xmlns="http://www.w3.org/2000/svg"></svg>')]],
      415,
      'UPLOAD_TYPE_NOT_ALLOWED',
    ],
    [
      'a PNG/HTML polyglot',
      [['logo.png', concat(PNG, text('<script>alert(1)</script>'))]],
      415,
      'UPLOAD_ACTIVE_CONTENT',
    ],
    [
      'a PDF with an SVG inside',
      [['doc.pdf', concat(PDF, text('<svg onload=alert(1)>'))]],
      415,
      'UPLOAD_ACTIVE_CONTENT',
    ],
    [
      'a PNG/HTML polyglot without a script tag (an event handler)',
      [['logo.png', concat(PNG, text('<body onload=alert(document.domain)><img src=x onerror=alert(1)>'))]],
      415,
      'UPLOAD_ACTIVE_CONTENT',
    ],
    ['an empty file', [['empty.txt', new Uint8Array(0)]], 400, 'UPLOAD_EMPTY'],
    ['too many files', Array.from({ length: 4 }, (_, i) => [`n${i}.txt`, text('x')]), 413, 'UPLOAD_TOO_MANY_FILES'],
    ['a file over the limit', [['big.txt', text('x'.repeat(1024 * 1024 + 1))]], 413, 'UPLOAD_TOO_LARGE'],
  ] as [string, [string, Uint8Array][], number, string][])(
    'refuses %s, stores nothing and journals upload.rejected',
    async (_, files, status, code) => {
      const { upload, sink, storage } = setup();
      const res = await upload(files);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const body = await res.text();
      expect(JSON.parse(body).code).toBe(code);
      for (const [name] of files) expect(body).not.toContain(name);
      expect((storage as ReturnType<typeof memoryStorage>).size).toBe(0);
      expect(sink.events.map((e) => [e.type, e.reason])).toEqual([['upload.rejected', code]]);
    },
  );

  it('stores all the files of an upload or none: a storage or database failure leaves no bytes and no rows', async () => {
    const bytes = memoryStorage();
    let puts = 0;
    const failSecondPut: UploadStorage = {
      ...bytes,
      kind: 'flaky',
      async put(key, data, type) {
        await bytes.put(key, data, type);
        if (++puts === 2) throw new Error('disk full after a partial write');
      },
    };
    const flaky = setup({ storage: failSecondPut });
    const res = await flaky.upload([
      ['a.txt', text('first')],
      ['b.txt', text('second')],
    ]);
    expect(res.status).toBe(503);
    expect(bytes.size).toBe(0);
    expect(await flaky.repository.listByOwner('user-1')).toEqual([]);

    const repository = memoryUploadRepository();
    const brokenDb = setup({
      repository: { ...repository, create: () => Promise.reject(new Error('database down')) },
    });
    expect((await brokenDb.upload([['a.txt', text('first')]])).status).toBe(503);
    expect((brokenDb.storage as ReturnType<typeof memoryStorage>).size).toBe(0);
  });

  it("serves a member's upload to its owner and the account's admins, not to another member", async () => {
    const { upload, app } = setup();
    const { uploads } = await (await upload([['notes.txt', text('mine')]])).json();
    const get = (headers: Record<string, string>) => app.request(`/api/v1/uploads/${uploads[0].id}`, { headers });
    expect((await get({})).status).toBe(200);
    expect((await get({ 'x-owner': 'user-2' })).status).toBe(404);
    expect((await get({ 'x-owner': 'user-2', 'x-admin': '1' })).status).toBe(200);
    expect((await get({ 'x-owner': 'user-2', 'x-admin': '1', 'x-account': 'acct-2' })).status).toBe(404);
  });

  it('refuses a body over the total limit while streaming, before parsing', async () => {
    const { app, storage } = setup();
    const huge = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const res = await app.request('/api/v1/uploads', {
      method: 'POST',
      body: huge,
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((storage as ReturnType<typeof memoryStorage>).size).toBe(0);
  });

  it('refuses non-multipart bodies', async () => {
    const { app } = setup();
    const res = await app.request('/api/v1/uploads', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(415);
    expect((await res.json()).code).toBe('UPLOAD_NOT_MULTIPART');
  });

  it('calls the malware scanner before storing; a rejection is journaled and nothing is stored', async () => {
    const scanned: string[] = [];
    const scanner: MalwareScanner = {
      name: 'test-av',
      scan: async (input) => {
        scanned.push(input.extension);
        return input.extension === 'pdf' ? { clean: false, reason: 'Eicar-Test-Signature' } : { clean: true };
      },
    };
    const { upload, sink, storage } = setup({ scanner });
    const res = await upload([
      ['ok.md', text('fine')],
      ['infected.pdf', PDF],
    ]);
    expect(res.status).toBe(422);
    expect((await res.json()).code).toBe('UPLOAD_REJECTED');
    expect(scanned).toEqual(['md', 'pdf']);
    expect((storage as ReturnType<typeof memoryStorage>).size).toBe(0);
    expect(sink.events[0]).toMatchObject({
      type: 'upload.rejected',
      severity: 'warning',
      reason: 'UPLOAD_REJECTED',
      principal: 'user-1',
      account: 'acct-1',
      details: { scanner: 'test-av', verdict: 'Eicar-Test-Signature', extension: 'pdf' },
    });
  });

  it('fails closed when the scanner is down', async () => {
    const scanner: MalwareScanner = {
      name: 'clamd',
      scan: () => Promise.reject(new Error('connect ECONNREFUSED /run/clamd.sock')),
    };
    const { upload, storage } = setup({ scanner });
    const res = await upload([['ok.md', text('fine')]]);
    expect(res.status).toBe(503);
    const body = await res.text();
    expect(JSON.parse(body).code).toBe('UPLOAD_SCAN_FAILED');
    expect(body).not.toContain('clamd.sock');
    expect((storage as ReturnType<typeof memoryStorage>).size).toBe(0);
  });
});

describe('fsStorage', () => {
  let root = '';
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'smarter-uploads-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('stores files under random keys confined to its root, mode 0600', async () => {
    const storage = await fsStorage(join(root, 'media'));
    const { upload, app } = setup({ storage });
    const res = await upload([['../../../../etc/cron.d/evil.md', text('# safe content')]]);
    expect(res.status).toBe(201);
    const { uploads } = await res.json();
    const dirs = await readdir(join(root, 'media'));
    expect(dirs).toHaveLength(1);
    const [file] = await readdir(join(root, 'media', dirs[0] ?? ''));
    expect(file).toMatch(/^[0-9a-f]{32}$/);
    expect((await stat(join(root, 'media', dirs[0] ?? '', file ?? ''))).mode & 0o777).toBe(0o600);
    const download = await app.request(`/api/v1/uploads/${uploads[0].id}`);
    expect(await download.text()).toBe('# safe content');
  });

  it('refuses keys that are not storage keys (no traversal) and does not follow symlinks', async () => {
    const storage = await fsStorage(join(root, 'media2'));
    for (const key of ['../../etc/passwd', '/etc/passwd', 'AAAA', `${'a'.repeat(31)}/`]) {
      await expect(storage.put(key, text('x'), 'text/plain')).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
      await expect(storage.get(key)).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    }
    const key = 'ab'.repeat(16);
    await import('node:fs/promises').then((fs) => fs.mkdir(join(root, 'media2', 'ab'), { recursive: true }));
    await symlink('/etc/hostname', join(root, 'media2', 'ab', key));
    await expect(storage.get(key)).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    await expect(storage.put(key, text('x'), 'text/plain')).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(await storage.get('cd'.repeat(16))).toBeUndefined();
  });
});

describe('s3Storage against a fake S3 on 127.0.0.1', () => {
  const objects = new Map<string, { body: Buffer; type: string | undefined }>();
  const requests: { method: string; path: string; authorization: string; payloadHash: string }[] = [];
  let server: Server;
  let endpoint = '';
  let failing = false;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', (): void => {
        const body = Buffer.concat(chunks);
        const authorization = String(req.headers.authorization ?? '');
        const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
        requests.push({ method: req.method ?? '', path: req.url ?? '', authorization, payloadHash });
        const signed =
          /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-test-1\/s3\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/.test(
            authorization,
          ) && payloadHash === createHash('sha256').update(body).digest('hex');
        if (!signed || failing) {
          res.writeHead(failing ? 500 : 403, { 'content-type': 'application/xml' });
          res.end('<Error><Code>SignatureDoesNotMatch</Code><Key>secret-internal</Key></Error>');
          return;
        }
        const path = req.url ?? '';
        if (req.method === 'PUT') {
          objects.set(path, { body, type: req.headers['content-type'] });
          res.writeHead(200);
          res.end();
          return;
        }
        const object = objects.get(path);
        if (req.method === 'DELETE') {
          objects.delete(path);
          res.writeHead(204);
          res.end();
          return;
        }
        if (!object) {
          res.writeHead(404, { 'content-type': 'application/xml' });
          res.end('<Error><Code>NoSuchKey</Code></Error>');
          return;
        }
        res.writeHead(200, { 'content-type': object.type ?? 'application/octet-stream' });
        res.end(object.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const storageWith = (secret = 'test-secret-key') =>
    s3Storage({
      endpoint,
      bucket: 'smarter-media',
      region: 'eu-test-1',
      accessKeyId: 'AKIDTEST',
      secretAccessKey: new Secret(secret),
    });

  it('puts, gets and deletes signed objects under bucket/prefix/key', async () => {
    const storage = storageWith();
    const key = randomStorageKey();
    await storage.put(key, PDF, 'application/pdf');
    expect(objects.get(`/smarter-media/uploads/${key}`)?.type).toBe('application/pdf');
    expect(await storage.get(key)).toEqual(PDF);
    await storage.delete(key);
    expect(await storage.get(key)).toBeUndefined();
    expect(requests.map((r) => r.method)).toEqual(['PUT', 'GET', 'DELETE', 'GET']);
    expect(requests.every((r) => !r.authorization.includes('test-secret-key'))).toBe(true);
  });

  it('serves uploads end to end through the routes', async () => {
    const { upload, app } = setup({ storage: storageWith() });
    const res = await upload([['manual.pdf', PDF]]);
    expect(res.status).toBe(201);
    const { uploads } = await res.json();
    const download = await app.request(`/api/v1/uploads/${uploads[0].id}`);
    expect(download.headers.get('content-disposition')).toContain('attachment');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PDF);
  });

  it('maps S3 failures to STORAGE_UNAVAILABLE without leaking the answer', async () => {
    failing = true;
    try {
      const { upload } = setup({ storage: storageWith() });
      const res = await upload([['manual.pdf', PDF]]);
      expect(res.status).toBe(503);
      const body = await res.text();
      expect(JSON.parse(body).code).toBe('STORAGE_UNAVAILABLE');
      expect(body).not.toContain('secret-internal');
    } finally {
      failing = false;
    }
  });

  it('refuses unsafe options', () => {
    expect(() =>
      s3Storage({
        endpoint: 'http://s3.example.com',
        bucket: 'b-1',
        accessKeyId: 'a',
        secretAccessKey: new Secret('s'),
      }),
    ).toThrow('https');
    expect(() =>
      s3Storage({ endpoint, bucket: 'Bad_Bucket', accessKeyId: 'a', secretAccessKey: new Secret('s') }),
    ).toThrow('bucket');
  });
});
