import { pbkdf2Engine } from '@smarter/auth';
import { migrate } from '@smarter/data';
import { openBetterSqlite } from '@smarter/data/better-sqlite3';
import { memoryStore, SmarterConfigError } from '@smarter/security';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppConfig, createApp, loadConfig } from '../app.ts';
import { buildServices } from '../services.ts';

const BASE = {
  SMARTER_ENV: 'test',
  SMARTER_SECRET_KEYS: 'k1:0123456789abcdef0123456789abcdef0123456789',
  SMARTER_COOKIE_SECURE: 'false',
  SMARTER_SECURE_REDIRECT: 'false',
};
const GITHUB = {
  SMARTER_OAUTH_GITHUB_CLIENT_ID: 'client-123',
  SMARTER_OAUTH_GITHUB_CLIENT_SECRET: 'github-client-secret-value',
  SMARTER_OAUTH_GITHUB_REDIRECT_URI: 'http://localhost/auth/oauth/github/callback',
};
const db = openBetterSqlite(':memory:');
beforeAll(() => migrate(db));
afterAll(() => db.close());

function appWith(config: AppConfig) {
  const services = buildServices({
    config,
    db,
    store: memoryStore(),
    passwordEngine: pbkdf2Engine({ iterations: 10_000 }),
    journalSinks: [],
  });
  return createApp({ config, db, services });
}

describe('OAuth configuration (SMARTER_OAUTH_<PROVIDER>_*)', () => {
  it('is off by default and refuses a half-configured provider, saying what to set', () => {
    expect(loadConfig(BASE).oauth).toEqual([]);
    expect(() => loadConfig({ ...BASE, SMARTER_OAUTH_GITHUB_CLIENT_ID: 'x' })).toThrow(SmarterConfigError);
    expect(() => loadConfig({ ...BASE, SMARTER_OAUTH_GITHUB_CLIENT_ID: 'x' })).toThrow(
      /SMARTER_OAUTH_GITHUB_CLIENT_SECRET/,
    );
    expect(() => loadConfig({ ...BASE, ...GITHUB, SMARTER_OAUTH_GITHUB_REDIRECT_URI: 'javascript:alert(1)' })).toThrow(
      /absolute http\(s\) URL/,
    );
    const [github] = loadConfig({ ...BASE, ...GITHUB }).oauth;
    expect(github?.id).toBe('github');
    // The client secret is wrapped: it never prints.
    expect(JSON.stringify(github)).not.toContain('github-client-secret-value');
  });
});

describe('OAuth on the workbench', () => {
  it('shows no provider button and no OAuth route without configuration', async () => {
    const app = appWith(loadConfig(BASE));
    const html = await (await app.request('http://localhost/')).text();
    expect(html).not.toContain('/auth/oauth/');
    expect((await app.request('http://localhost/auth/oauth/github')).status).toBe(404);
  });

  it('shows only the configured provider and starts its flow with a signed state and PKCE', async () => {
    const loaded = loadConfig({ ...BASE, ...GITHUB });
    const config: AppConfig = {
      ...loaded,
      oauth: loaded.oauth.map((p) => ({
        ...p,
        endpoints: {
          issuer: 'http://127.0.0.1:9',
          authorization: 'http://127.0.0.1:9/authorize',
          token: 'http://127.0.0.1:9/token',
          userinfo: 'http://127.0.0.1:9/user',
          emails: 'http://127.0.0.1:9/user/emails',
        },
      })),
    };
    const app = appWith(config);
    const html = await (await app.request('http://localhost/')).text();
    expect(html).toContain('href="/auth/oauth/github"');
    expect(html).toContain('Continue with GitHub');
    expect(html).not.toContain('/auth/oauth/google');
    expect((await app.request('http://localhost/auth/oauth/google')).status).toBe(404);

    const start = await app.request('http://localhost/auth/oauth/github');
    expect(start.status).toBe(302);
    const location = new URL(start.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe('http://127.0.0.1:9/authorize');
    expect(location.searchParams.get('client_id')).toBe('client-123');
    expect(location.searchParams.get('redirect_uri')).toBe(GITHUB.SMARTER_OAUTH_GITHUB_REDIRECT_URI);
    expect(location.searchParams.get('state')).toMatch(/.{16,}/);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(start.headers.getSetCookie().some((c) => /oauth_github=/.test(c))).toBe(true);
    expect(start.headers.get('location')).not.toContain('github-client-secret-value');

    // A callback without the state cookie fails with one generic page and starts no session.
    const callback = await app.request('http://localhost/auth/oauth/github/callback?code=abc&state=forged');
    expect(callback.status).toBe(400);
    expect(await callback.text()).toContain('That sign-in did not work.');
    expect(callback.headers.getSetCookie().some((c) => /session=[^;]+/.test(c) && !/max-age=0/i.test(c))).toBe(false);
  });
});
