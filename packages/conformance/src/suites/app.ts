import { expect, it } from 'vitest';
import type { SuiteContext } from '../suite.ts';

/** The reference server's own parts (workbench assets, OpenAPI document), identical on every runtime. */
export function appSuite({ app }: SuiteContext): void {
  it('serves the workbench CSS and JS under SMARTER_STATIC_URL with nosniff and a revalidating ETag', async () => {
    const css = await fetch(`${app().baseUrl}/static/workbench.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('x-content-type-options')).toBe('nosniff');
    const etag = css.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{24}"$/);
    expect(await css.text()).toContain('.btn-primary');
    const again = await fetch(`${app().baseUrl}/static/workbench.css`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const js = await fetch(`${app().baseUrl}/static/workbench.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toContain('x-csrftoken');
  });

  it('serves nothing else under the static prefix', async () => {
    for (const path of ['/static/app.js', '/static/%2e%2e/package.json', '/static/workbench.css.map']) {
      const res = await fetch(`${app().baseUrl}${path}`);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.text()).not.toContain('"name"');
    }
  });

  it('publishes the OpenAPI 3.1 document generated from the validation schemas', async () => {
    const res = await fetch(`${app().baseUrl}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/agents', '/api/v1/keys', '/api/v1/chat', '/api/v1/config']),
    );
    expect(doc.paths['/api/v1/agents']?.['post']).toBeDefined();
  });
}
