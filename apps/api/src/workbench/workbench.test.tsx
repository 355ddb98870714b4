/** @jsxImportSource hono/jsx */
import { describe, expect, it } from 'vitest';
import { workbenchPreviewApp } from './preview.tsx';
import { SAMPLE_CONTEXT } from './sample-data.ts';
import { workbenchStaticRoutes } from './static-routes.ts';

const PAGES = [
  '/login',
  '/login-failed',
  '/',
  '/empty',
  '/agents/support-bot',
  '/keys',
  '/keys/created',
  '/journal',
  '/account/password',
];

async function html(path: string): Promise<string> {
  const res = await workbenchPreviewApp().request(path);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  return res.text();
}

describe('workbench pages', () => {
  it.each(PAGES)('%s: every form carries the CSRF field, assets are nonced, nothing inline', async (path) => {
    const page = await html(path);
    expect(page).toContain(`<meta name="csrf-token" content="${SAMPLE_CONTEXT.csrfToken}"/>`);
    const posts = page.match(/<form[^>]*method="post"[^>]*>/g) ?? [];
    const fields = page.match(/name="csrfmiddlewaretoken" value="sample-csrf-token"/g) ?? [];
    expect(fields.length).toBe(posts.length);
    for (const tag of page.match(/<(?:script|style|link rel="stylesheet")[^>]*>/g) ?? []) {
      expect(tag).toContain('nonce="sample-nonce"');
    }
    expect(page).not.toMatch(/\son[a-z]+=/i);
    expect(page).not.toMatch(/<style[\s>]/);
    expect(page).not.toMatch(/\sstyle=/);
    expect(page).not.toContain('javascript:');
  });

  it('shows a new key once, and only the last four characters of listed keys', async () => {
    const created = await html('/keys/created');
    expect(created).toContain('smarter_k_7Hq2_Xw3bT9vLq0ZpR8sN1mYc4eU6aK2dF5gH7jQ9x9Qa');
    const list = await html('/keys');
    expect(list).not.toContain('smarter_k_');
    expect(list).toContain('••••x9Qa');
  });

  it('shows the journal link to admins only, and the logout form to signed-in users', async () => {
    expect(await html('/')).toContain('href="/journal"');
    const member = await html('/empty');
    expect(member).not.toContain('href="/journal"');
    expect(member).toContain('action="/logout"');
    expect(await html('/login')).not.toContain('action="/logout"');
  });

  it('login shows one uniform failure and the OAuth buttons', async () => {
    const page = await html('/login-failed');
    expect(page).toContain('Those credentials are not valid.');
    expect(page).toContain('href="/auth/oauth/github"');
    expect(page).toContain('value="ada@example.com"');
    expect(page).not.toMatch(/name="password"[^>]*value=/);
  });

  it('escapes text from the data', async () => {
    const { DashboardPage } = await import('./pages/dashboard.tsx');
    const page = String(
      <DashboardPage
        ctx={SAMPLE_CONTEXT}
        agents={[
          {
            name: 'x',
            description: '<img src=x onerror=alert(1)>',
            hostname: 'x.h',
            deployed: false,
            provider: 'echo',
            model: 'echo-1',
            requireKey: true,
            allowedOrigins: [],
            createdAt: 'not a date',
          },
        ]}
      />,
    );
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img src=x');
  });
});

describe('workbench static files', () => {
  it('serves the CSS and JS with types, nosniff and an ETag; 304 on a match; nothing else', async () => {
    const app = workbenchStaticRoutes();
    const css = await app.request('/workbench.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('x-content-type-options')).toBe('nosniff');
    const etag = css.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{24}"$/);
    expect((await app.request('/workbench.css', { headers: { 'if-none-match': etag } })).status).toBe(304);
    const js = await app.request('/workbench.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toContain('x-csrftoken');
    expect((await app.request('/workbench.map')).status).toBe(404);
    expect((await app.request('/../package.json')).status).toBe(404);
  });
});
