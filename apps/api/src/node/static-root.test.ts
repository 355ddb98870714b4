import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticRootRoutes } from './static-root.ts';

describe('staticRootRoutes', () => {
  let dir = '';
  let app: Hono;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smarter-static-'));
    await mkdir(join(dir, 'public', 'img'), { recursive: true });
    await writeFile(join(dir, 'public', 'site.css'), 'body{color:red}');
    await writeFile(join(dir, 'public', 'img', 'logo.svg'), '<svg/>');
    await writeFile(join(dir, 'public', '.env'), 'SECRET=1');
    await writeFile(join(dir, 'public', 'app.js.map'), '{}');
    await writeFile(join(dir, 'outside.txt'), 'outside the root');
    app = new Hono().route('/static', staticRootRoutes(join(dir, 'public')));
    app.notFound((c) => c.text('not found', 404));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('serves files under the root with nosniff', async () => {
    const res = await app.request('/static/site.css');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/css/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe('body{color:red}');
    expect((await app.request('/static/img/logo.svg')).status).toBe(200);
  });

  it('refuses dotfiles, source maps, directories, traversal and unsafe methods', async () => {
    for (const path of [
      '/static/.env',
      '/static/app.js.map',
      '/static/img/',
      '/static/../outside.txt',
      '/static/%2e%2e/outside.txt',
      '/static/missing.css',
    ]) {
      const res = await app.request(path);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('outside the root');
    }
    expect((await app.request('/static/site.css', { method: 'POST' })).status).toBe(404);
  });
});
