import { migrate } from '@smarter/data';
import { openBetterSqlite } from '@smarter/data/better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, loadConfig } from './app.ts';
import { Browser } from './testing/browser.ts';
import { testApp } from './testing/test-app.ts';

const db = openBetterSqlite(':memory:');
afterAll(() => db.close());

describe('createApp wiring of the self-contained modules', () => {
  it('serves the workbench assets under SMARTER_STATIC_URL, and nothing else there', async () => {
    const app = createApp({ config: loadConfig({ SMARTER_STATIC_URL: '/assets/' }), db });
    const css = await app.request('/assets/workbench.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await app.request('/static/workbench.css')).status).toBe(404);
    // A sensitive name under the static prefix is refused by the sensitive-file guard before any file lookup.
    const sensitive = await app.request('/assets/.env');
    expect(sensitive.status).toBe(403);
    expect(sensitive.headers.get('content-type')).toBe('application/problem+json');
    expect(await sensitive.json()).toMatchObject({ code: 'SENSITIVE_PATH' });
    const missing = await app.request('/assets/nothing-here.css');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
  });

  it('publishes the OpenAPI document with the agent host template', async () => {
    const app = createApp({ config: loadConfig({ SMARTER_API_DOMAIN: 'api.example.com' }), db });
    const res = await app.request('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers[1].url).toBe('https://{agent}.{account}.api.example.com');
  });
});

describe('rate limits beyond the API', () => {
  it("count the workbench's changes (chat, password) but not its pages", async () => {
    const { app } = testApp({ SMARTER_RATE_LIMIT: '2/60' });
    const post = (path: string) =>
      app.request(`http://localhost${path}`, {
        method: 'POST',
        body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
        headers: { 'content-type': 'application/json' },
      });
    const chats = [];
    for (let i = 0; i < 3; i++) chats.push((await post('/agents/helper/chat')).status);
    expect(chats[2]).toBe(429);
    expect(chats.slice(0, 2)).not.toContain(429);
    expect((await post('/account/password')).status).toBe(429);
    for (let i = 0; i < 3; i++) expect((await app.request('http://localhost/agents/helper')).status).not.toBe(429);
  });

  it('let one client ask for few password-reset emails (5 per 15 minutes by default), whatever addresses it names', async () => {
    const { app, db } = testApp();
    await migrate(db);
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const b = new Browser(app);
      await b.get('/password-reset');
      statuses.push((await b.post('/password-reset', { email: `person${i}@example.com` })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    // The pages themselves are not counted.
    expect((await new Browser(app).get('/password-reset')).res.status).toBe(200);
  });

  it('give sign-in a bucket of its own, apart from the API', async () => {
    const { app } = testApp({ SMARTER_RATE_LIMIT: '2/60' });
    const api = [];
    for (let i = 0; i < 3; i++) api.push((await app.request('http://localhost/api/v1/status')).status);
    expect(api).toEqual([200, 200, 429]);
    const login = () => app.request('http://localhost/login', { method: 'POST', body: new URLSearchParams({}) });
    const first = await login();
    expect(first.status).not.toBe(429);
    expect(first.headers.get('ratelimit-policy')).toBe('"login";q=2;w=60');
    await login();
    expect((await login()).status).toBe(429);
    expect((await app.request('http://localhost/api/v1/status')).status).toBe(429);
  });

  it('give forgotten passwords and emailed links a bucket of their own, apart from sign-in', async () => {
    const { app } = testApp({ SMARTER_RATE_LIMIT: '3/60', SMARTER_RESET_EMAIL_LIMIT: 'off' });
    const ask = () =>
      app.request('http://localhost/password-reset', {
        method: 'POST',
        body: new URLSearchParams({ email: 'a@b.cd' }),
      });
    const first = await ask();
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toBe('"password-reset";q=3;w=60');
    expect((await app.request('http://localhost/reset?token=a.b.c.d')).status).toBe(303);
    expect((await app.request('http://localhost/activate')).status).toBe(400);
    expect((await ask()).status).toBe(429);
    expect((await app.request('http://localhost/reset')).status).toBe(429);
    const login = await app.request('http://localhost/login', { method: 'POST', body: new URLSearchParams({}) });
    expect(login.status).toBe(401);
  });
});
