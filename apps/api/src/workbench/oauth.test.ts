import { pbkdf2Engine } from '@smarter/auth';
import { createRepositories, migrate } from '@smarter/data';
import { openBetterSqlite } from '@smarter/data/better-sqlite3';
import { memoryStore, Secret, SmarterConfigError } from '@smarter/security';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppConfig, createApp, loadConfig } from '../app.ts';
import { dataServices } from '../cli/data-services.ts';
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

function appWith(config: AppConfig, fetchFn?: typeof fetch) {
  const services = buildServices({
    config,
    db,
    store: memoryStore(),
    passwordEngine: pbkdf2Engine({ iterations: 10_000 }),
    journalSinks: [],
    ...(fetchFn ? { fetch: fetchFn } : {}),
  });
  return createApp({ config, db, services });
}

/** GitHub on a fetch stub: every token is for `account`, whose primary email is verified. */
function fakeGithub() {
  const account = { id: 1, email: 'nobody@example.com' };
  const fetchFn: typeof fetch = async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === '/token') return Response.json({ access_token: 'token', token_type: 'bearer' });
    if (url.pathname === '/user') return Response.json({ id: account.id, login: 'someone' });
    if (url.pathname === '/user/emails')
      return Response.json([{ email: account.email, primary: true, verified: true }]);
    return Response.json({}, { status: 404 });
  };
  return { account, fetchFn };
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

  it('refuses a provider account showing the email of a superuser, and signs a member in only through its first link', async () => {
    const github = fakeGithub();
    const loaded = loadConfig({ ...BASE, ...GITHUB });
    const endpoints = {
      issuer: 'http://provider.test',
      authorization: 'http://provider.test/authorize',
      token: 'http://provider.test/token',
      userinfo: 'http://provider.test/user',
      emails: 'http://provider.test/user/emails',
    };
    const app = appWith({ ...loaded, oauth: loaded.oauth.map((p) => ({ ...p, endpoints })) }, github.fetchFn);
    const signIn = async (id: number, email: string) => {
      Object.assign(github.account, { id, email });
      const start = await app.request('http://localhost/auth/oauth/github');
      const cookie =
        start.headers
          .getSetCookie()
          .find((c) => /oauth_github=/.test(c))
          ?.split(';')[0] ?? '';
      const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
      const res = await app.request(`http://localhost/auth/oauth/github/callback?code=c&state=${state}`, {
        headers: { cookie },
      });
      return {
        status: res.status,
        session: res.headers.getSetCookie().some((c) => /session=[^;]+/.test(c) && !/max-age=0/i.test(c)),
      };
    };
    // createsuperuser proves nothing about the address, so the superuser's email is not marked verified.
    const cli = dataServices(loaded, db);
    await cli.users.createSuperuser('root@example.com', new Secret('a long and unusual passphrase 42'));
    await cli.flush();
    const repos = createRepositories(db);
    expect(await repos.users.getByEmail('root@example.com')).toMatchObject({ role: 'superuser', emailVerified: false });
    expect(await signIn(1, 'root@example.com')).toEqual({ status: 400, session: false });
    await repos.users.update((await repos.users.getByEmail('root@example.com'))?.id ?? '', { emailVerified: true });
    expect(await signIn(1, 'root@example.com')).toEqual({ status: 400, session: false });

    const root = await repos.users.getByEmail('root@example.com');
    const member = await repos.users.create({
      accountId: root?.accountId ?? '',
      email: 'member@example.com',
      role: 'member',
      active: true,
      emailVerified: true,
      passwordHash: null,
    });
    expect(await signIn(7, 'member@example.com')).toEqual({ status: 303, session: true });
    expect(await repos.oauthLinks.listByUser(member.id)).toEqual([
      expect.objectContaining({ provider: 'github', subject: '7' }),
    ]);
    expect(await signIn(8, 'member@example.com')).toEqual({ status: 400, session: false });
    expect(await signIn(7, 'member@example.com')).toEqual({ status: 303, session: true });
  });
});
