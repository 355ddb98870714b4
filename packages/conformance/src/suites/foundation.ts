import { expect, it } from 'vitest';
import type { SuiteContext } from '../suite.ts';

/** The basics every runtime must serve identically. */
export function foundationSuite({ app, driver }: SuiteContext): void {
  it('serves /healthz as JSON', async () => {
    const res = await fetch(`${app().baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('serves the workbench sign-in page as the HTML home page', async () => {
    const res = await fetch(`${app().baseUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<h1>Sign in</h1>');
    expect(html).toMatch(/<form method="post" action="\/login"[^>]*><input type="hidden" name="csrfmiddlewaretoken"/);
    // Signed out: no page of the signed-in workbench leaks into it.
    expect(html).not.toContain('action="/logout"');
  });

  it('serves /api/v1/status from the embedded database', async () => {
    const res = await fetch(`${app().baseUrl}/api/v1/status`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; database: { driver: string; schema: string } };
    expect(body.status).toBe('ok');
    // The number of migrations applied (grows with the schema).
    expect(body.database.schema).toMatch(/^[1-9]\d*$/);
    expect(body.database.driver).toBe(driver);
  });

  it('answers an unknown path with a JSON problem that echoes nothing', async () => {
    const res = await fetch(`${app().baseUrl}/api/v1/no-such-thing-%3Cscript%3E`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const text = await res.text();
    expect(text).not.toContain('script');
    expect(JSON.parse(text)).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
}
