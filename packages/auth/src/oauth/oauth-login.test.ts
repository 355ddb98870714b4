import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountService } from '../accounts/account-service.ts';
import { createPasswordHasher } from '../passwords/password-hasher.ts';
import { pbkdf2Engine } from '../passwords/pbkdf2-engine.ts';
import type { AuthVariables } from '../principal/principal.ts';
import { createSessionManager } from '../sessions/session-manager.ts';
import { seedUser, world } from '../testing-node/fixtures.ts';
import { createOAuthLogin, type OAuthProviderConfig } from './oauth-login.ts';

interface Profile {
  sub: string;
  email: string;
  email_verified: boolean;
}

/** A fake OAuth2/OIDC provider on 127.0.0.1: authorize, token (PKCE-checking), userinfo and GitHub-style emails. */
function fakeProvider() {
  const codes = new Map<string, { challenge: string | null; redirectUri: string; clientId: string }>();
  const tokens = new Map<string, Profile>();
  const state = {
    profile: { sub: 'google-123', email: 'alice@example.com', email_verified: true } as Profile,
    tokenCalls: 0,
  };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let body = '';
    for await (const chunk of req) body += chunk;
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (url.pathname === '/authorize') {
      const code = randomUUID();
      codes.set(code, {
        challenge: url.searchParams.get('code_challenge'),
        redirectUri: url.searchParams.get('redirect_uri') ?? '',
        clientId: url.searchParams.get('client_id') ?? '',
      });
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      state.tokenCalls++;
      const form = new URLSearchParams(body);
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier');
      const challengeOk =
        grant?.challenge === null ||
        (verifier !== null && createHash('sha256').update(verifier).digest('base64url') === grant?.challenge);
      if (
        !grant ||
        !challengeOk ||
        form.get('client_secret') !== 'client-secret' ||
        form.get('redirect_uri') !== grant.redirectUri
      ) {
        return json(400, { error: 'invalid_grant' });
      }
      const access = randomUUID();
      tokens.set(access, { ...state.profile });
      return json(200, { access_token: access, token_type: 'Bearer', expires_in: 3600 });
    }
    const profile = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!profile) return json(401, { error: 'invalid_token' });
    if (url.pathname === '/userinfo') return json(200, profile);
    if (url.pathname === '/user') return json(200, { id: Number(profile.sub.replace(/\D/g, '')), login: 'alice' });
    if (url.pathname === '/emails')
      return json(200, [{ email: profile.email, primary: true, verified: profile.email_verified }]);
    return json(404, {});
  });
  return { server, state };
}

const provider = fakeProvider();
let base = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => provider.server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(provider.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => provider.server.close(resolve));
});

async function setup(registration: 'open' | 'closed' = 'closed', linkPrivilegedByEmail?: boolean) {
  const w = world();
  const hasher = createPasswordHasher({ engine: pbkdf2Engine({ iterations: 10_000 }) });
  const accounts = createAccountService({ repositories: w.repos, hasher, validators: [] });
  const sessions = createSessionManager({
    repositories: w.repos,
    now: w.clock.now,
    dangerouslyAllowInsecureCookies: true,
  });
  const endpoints = {
    issuer: base,
    authorization: `${base}/authorize`,
    token: `${base}/token`,
    userinfo: `${base}/userinfo`,
  };
  const providers: OAuthProviderConfig[] = [
    {
      id: 'google',
      clientId: 'client-id',
      clientSecret: 'client-secret',
      redirectUri: 'http://127.0.0.1/oauth/google/callback',
      endpoints,
    },
    {
      id: 'github',
      clientId: 'client-id',
      clientSecret: 'client-secret',
      redirectUri: 'http://127.0.0.1/oauth/github/callback',
      endpoints: { ...endpoints, userinfo: `${base}/user`, emails: `${base}/emails` },
    },
    {
      id: 'linkedin',
      clientId: 'client-id',
      clientSecret: 'client-secret',
      redirectUri: 'http://127.0.0.1/oauth/linkedin/callback',
      endpoints,
    },
  ];
  const oauth = createOAuthLogin({
    providers,
    keyRing: w.ring,
    store: w.store,
    repositories: w.repos,
    accounts,
    registration,
    ...(linkPrivilegedByEmail === undefined ? {} : { linkPrivilegedByEmail }),
    journal: w.journal,
    now: w.clock.now,
    dangerouslyAllowInsecureRequests: true,
  });
  const app = new Hono<{ Variables: AuthVariables }>();
  app.get('/oauth/:p/start', (c) => oauth.start(c, c.req.param('p')));
  app.get('/oauth/:p/callback', async (c) => {
    const result = await oauth.callback(c, c.req.param('p'));
    if (!result.ok) return c.json({ code: 'OAUTH_FAILED' }, 400);
    await sessions.login(c, result.user);
    return c.json({ user: result.user.email, created: result.created });
  });
  return { ...w, app, oauth };
}

type App = Awaited<ReturnType<typeof setup>>['app'];

/** Runs start → provider authorize → back to our callback URL; returns the pieces for the callback. */
async function begin(app: App, id = 'google') {
  const start = await app.request(`http://127.0.0.1/oauth/${id}/start`);
  expect(start.status).toBe(302);
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const authorize = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });
  const callback = authorize.headers.get('location') ?? '';
  return { start, cookie, callback };
}

async function finish(app: App, callback: string, cookie?: string) {
  const res = await app.request(callback, { headers: cookie ? { cookie } : {} });
  return { res, body: (await res.json()) as Record<string, unknown> };
}

const ALICE: Profile = { sub: 'google-123', email: 'alice@example.com', email_verified: true };

/** A whole sign-in (start → provider → callback) as the provider account `profile`. */
async function signIn(app: App, profile: Profile, id = 'google') {
  provider.state.profile = profile;
  try {
    const { cookie, callback } = await begin(app, id);
    const { res, body } = await finish(app, callback, cookie);
    return { res, body, session: res.headers.getSetCookie().some((c) => c.startsWith('smarter_session=')) };
  } finally {
    provider.state.profile = { ...ALICE };
  }
}

describe('OAuth login against a local fake provider', () => {
  it('redirects with state, PKCE S256 and the explicit redirect URI, setting a signed state cookie', async () => {
    const { app } = await setup();
    const { start, cookie } = await begin(app);
    const location = new URL(start.headers.get('location') ?? '');
    expect(location.origin).toBe(base);
    expect(location.searchParams.get('redirect_uri')).toBe('http://127.0.0.1/oauth/google/callback');
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie.startsWith('smarter_oauth_google=')).toBe(true);
    expect(cookie).not.toContain(location.searchParams.get('state'));
    expect(start.headers.get('set-cookie')).toContain('HttpOnly; SameSite=Lax');
  });

  it('signs in an existing verified user, deletes the state cookie and starts a session', async () => {
    const { app, repos } = await setup();
    await seedUser(repos, 'alice@example.com');
    const { cookie, callback } = await begin(app);
    const { res, body } = await finish(app, callback, cookie);
    expect(res.status).toBe(200);
    expect(body).toEqual({ user: 'alice@example.com', created: false });
    const setCookies = res.headers.getSetCookie();
    expect(setCookies).toContain('smarter_oauth_google=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax');
    expect(setCookies.some((c) => c.startsWith('smarter_session='))).toBe(true);
  });

  it('rejects a missing state cookie', async () => {
    const { app, repos, sink } = await setup();
    await seedUser(repos, 'alice@example.com');
    const { callback } = await begin(app);
    const { res } = await finish(app, callback);
    expect(res.status).toBe(400);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('smarter_session='))).toBe(false);
    expect(sink.events.filter((e) => e.type === 'oauth.failed').map((e) => e.reason)).toEqual(['MISSING_STATE']);
  });

  it('rejects a mismatched state (a callback meant for another browser)', async () => {
    const { app, repos, sink } = await setup();
    await seedUser(repos, 'alice@example.com');
    const mine = await begin(app);
    const theirs = await begin(app);
    const { res } = await finish(app, theirs.callback, mine.cookie);
    expect(res.status).toBe(400);
    const missingParam = new URL(mine.callback);
    missingParam.searchParams.delete('state');
    expect((await finish(app, missingParam.toString(), mine.cookie)).res.status).toBe(400);
    expect(sink.events.filter((e) => e.type === 'oauth.failed').map((e) => e.reason)).toEqual([
      'STATE_MISMATCH',
      'STATE_MISMATCH',
    ]);
  });

  it('rejects a replayed callback even with the state cookie kept', async () => {
    const { app, repos, sink } = await setup();
    await seedUser(repos, 'alice@example.com');
    const { cookie, callback } = await begin(app);
    expect((await finish(app, callback, cookie)).res.status).toBe(200);
    const calls = provider.state.tokenCalls;
    const replay = await finish(app, callback, cookie);
    expect(replay.res.status).toBe(400);
    expect(provider.state.tokenCalls).toBe(calls);
    expect(sink.events.filter((e) => e.type === 'oauth.failed').map((e) => e.reason)).toEqual(['STATE_REPLAYED']);
  });

  it('rejects a tampered or expired state cookie', async () => {
    const { app, repos, sink, clock } = await setup();
    await seedUser(repos, 'alice@example.com');
    const first = await begin(app);
    expect((await finish(app, first.callback, `${first.cookie.slice(0, -3)}AAA`)).res.status).toBe(400);
    const second = await begin(app);
    clock.advance(600_000);
    expect((await finish(app, second.callback, second.cookie)).res.status).toBe(400);
    expect(sink.events.filter((e) => e.type === 'oauth.failed').map((e) => e.reason)).toEqual([
      'INVALID_STATE',
      'STATE_EXPIRED',
    ]);
  });

  it('links only through a verified email', async () => {
    const { app, repos, sink } = await setup('open');
    await seedUser(repos, 'alice@example.com');
    provider.state.profile = { sub: 'google-9', email: 'alice@example.com', email_verified: false };
    try {
      const { cookie, callback } = await begin(app);
      expect((await finish(app, callback, cookie)).res.status).toBe(400);
      expect(sink.events.filter((e) => e.type === 'oauth.failed').map((e) => e.reason)).toEqual(['EMAIL_NOT_VERIFIED']);
    } finally {
      provider.state.profile = { sub: 'google-123', email: 'alice@example.com', email_verified: true };
    }
  });

  it('does not link to a local account whose own email is unverified (pre-registration takeover)', async () => {
    const { app, repos, sink } = await setup();
    const { user } = await seedUser(repos, 'alice@example.com');
    await repos.users.update(user.id, { emailVerified: false });
    const { cookie, callback } = await begin(app);
    expect((await finish(app, callback, cookie)).res.status).toBe(400);
    expect(sink.events.filter((e) => e.type === 'oauth.failed').map((e) => e.reason)).toEqual([
      'LINK_REQUIRES_VERIFIED_ACCOUNT',
    ]);
  });

  it('leaves a user it registered inactive when another sign-in linked the same provider account first', async () => {
    const open = await setup('open');
    // The other sign-in's link lands between this one's lookup and its own link.
    const other = await open.repos.users.create({
      accountId: (await open.repos.accounts.create({ number: '1111-2222-3333', name: 'Other' })).id,
      email: 'other@example.com',
      role: 'member',
      active: true,
      emailVerified: true,
      passwordHash: null,
    });
    const links = open.repos.oauthLinks;
    const get = links.get.bind(links);
    let lookups = 0;
    links.get = async (provider, subject) => {
      lookups++;
      if (lookups === 1) {
        await links.create({ provider, subject, userId: other.id });
        return undefined;
      }
      return get(provider, subject);
    };
    const a = await begin(open.app);
    expect((await finish(open.app, a.callback, a.cookie)).res.status).toBe(400);
    expect(await open.repos.users.getByEmail('alice@example.com')).toMatchObject({ active: false });
  });

  it('follows the registration policy for new identities', async () => {
    const closed = await setup('closed');
    const a = await begin(closed.app);
    expect((await finish(closed.app, a.callback, a.cookie)).res.status).toBe(400);
    expect(await closed.repos.users.getByEmail('alice@example.com')).toBeUndefined();
    const open = await setup('open');
    const b = await begin(open.app);
    const { res, body } = await finish(open.app, b.callback, b.cookie);
    expect(res.status).toBe(200);
    expect(body).toEqual({ user: 'alice@example.com', created: true });
    const created = await open.repos.users.getByEmail('alice@example.com');
    expect(created).toMatchObject({ emailVerified: true, active: true, passwordHash: null, role: 'admin' });
    // The new admin is linked, so the next sign-in goes through the link (an email match of an admin is refused).
    expect(await open.repos.oauthLinks.get('google', 'google-123')).toMatchObject({ userId: created?.id });
    const again = await signIn(open.app, ALICE);
    expect([again.res.status, again.body, again.session]).toEqual([
      200,
      { user: 'alice@example.com', created: false },
      true,
    ]);
  });

  it('never signs in a superuser or an admin by a matching email, journaling the refusal on their account', async () => {
    const { app, repos, sink } = await setup('open');
    const { user: root } = await seedUser(repos, 'root@example.com', 'superuser');
    const { user: boss } = await seedUser(repos, 'boss@example.com', 'admin');
    for (const id of ['google', 'github', 'linkedin']) {
      const { res, body, session } = await signIn(
        app,
        { sub: 'a', email: 'root@example.com', email_verified: true },
        id,
      );
      expect([res.status, body, session]).toEqual([400, { code: 'OAUTH_FAILED' }, false]);
    }
    const admin = await signIn(app, { sub: 'b', email: 'boss@example.com', email_verified: true });
    expect([admin.res.status, admin.session]).toEqual([400, false]);
    const failures = sink.events.filter((e) => e.type === 'oauth.failed');
    expect(failures.map((e) => [e.reason, e.principal, e.account])).toEqual([
      ['PRIVILEGED_ROLE', root.id, root.accountId],
      ['PRIVILEGED_ROLE', root.id, root.accountId],
      ['PRIVILEGED_ROLE', root.id, root.accountId],
      ['PRIVILEGED_ROLE', boss.id, boss.accountId],
    ]);
    expect(await repos.oauthLinks.listByUser(root.id)).toEqual([]);
    expect(sink.events.some((e) => e.type === 'oauth.linked')).toBe(false);
    // An explicit link (made by an operator, or while the user was a member) is what lets an admin in.
    await repos.oauthLinks.create({ provider: 'google', subject: 'b', userId: boss.id });
    const linked = await signIn(app, { sub: 'b', email: 'boss@example.com', email_verified: true });
    expect([linked.res.status, linked.body, linked.session]).toEqual([
      200,
      { user: 'boss@example.com', created: false },
      true,
    ]);
  });

  it('links privileged users by email only when linkPrivilegedByEmail says so', async () => {
    const { app, repos } = await setup('closed', true);
    const { user: root } = await seedUser(repos, 'root@example.com', 'superuser');
    const { res, session } = await signIn(app, { sub: 'a', email: 'root@example.com', email_verified: true });
    expect([res.status, session]).toEqual([200, true]);
    expect(await repos.oauthLinks.get('google', 'a')).toMatchObject({ userId: root.id });
  });

  it('links a member on the first sign-in, then refuses another account of that provider showing the same email', async () => {
    const { app, repos, sink } = await setup();
    const { user: alice } = await seedUser(repos, 'alice@example.com');
    const first = await signIn(app, { sub: 'a', email: 'alice@example.com', email_verified: true });
    expect([first.res.status, first.session]).toEqual([200, true]);
    expect(await repos.oauthLinks.listByUser(alice.id)).toEqual([
      expect.objectContaining({ provider: 'google', subject: 'a', userId: alice.id }),
    ]);
    const other = await signIn(app, { sub: 'b', email: 'alice@example.com', email_verified: true });
    expect([other.res.status, other.body, other.session]).toEqual([400, { code: 'OAUTH_FAILED' }, false]);
    expect(sink.events.filter((e) => e.type === 'oauth.failed').map((e) => [e.reason, e.principal])).toEqual([
      ['LINKED_TO_OTHER_SUBJECT', alice.id],
    ]);
    expect(await repos.oauthLinks.get('google', 'b')).toBeUndefined();
    const again = await signIn(app, { sub: 'a', email: 'alice@example.com', email_verified: true });
    expect([again.res.status, again.body, again.session]).toEqual([
      200,
      { user: 'alice@example.com', created: false },
      true,
    ]);
    // The link, not the email the provider shows today, says who signs in.
    const renamed = await signIn(app, { sub: 'a', email: 'alice@elsewhere.example', email_verified: false });
    expect([renamed.res.status, renamed.body]).toEqual([200, { user: 'alice@example.com', created: false }]);
    await repos.users.update(alice.id, { active: false });
    const inactive = await signIn(app, { sub: 'a', email: 'alice@example.com', email_verified: true });
    expect([inactive.res.status, inactive.session]).toEqual([400, false]);
    expect(sink.events.filter((e) => e.type === 'oauth.failed').map((e) => e.reason)).toEqual([
      'LINKED_TO_OTHER_SUBJECT',
      'ACCOUNT_INACTIVE',
    ]);
  });

  it('reads GitHub identities from the verified email list, and LinkedIn without PKCE', async () => {
    const { app, repos } = await setup();
    await seedUser(repos, 'alice@example.com');
    const gh = await begin(app, 'github');
    expect((await finish(app, gh.callback, gh.cookie)).body).toEqual({ user: 'alice@example.com', created: false });
    const li = await begin(app, 'linkedin');
    expect(new URL(li.start.headers.get('location') ?? '').searchParams.get('code_challenge')).toBeNull();
    expect((await finish(app, li.callback, li.cookie)).body).toEqual({ user: 'alice@example.com', created: false });
  });

  it('refuses http redirect URIs and uses __Host- Secure cookies outside insecure mode', async () => {
    const w = world();
    const accounts = createAccountService({
      repositories: w.repos,
      hasher: createPasswordHasher({ engine: pbkdf2Engine() }),
      validators: [],
    });
    const common = { keyRing: w.ring, store: w.store, repositories: w.repos, accounts };
    expect(() =>
      createOAuthLogin({
        ...common,
        providers: [{ id: 'google', clientId: 'a', clientSecret: 'b', redirectUri: 'http://app.test/cb' }],
      }),
    ).toThrow(/https/);
    expect(() =>
      createOAuthLogin({
        ...common,
        providers: [{ id: 'myspace' as never, clientId: 'a', clientSecret: 'b', redirectUri: 'https://app.test/cb' }],
      }),
    ).toThrow(/google, github or linkedin/);
    const oauth = createOAuthLogin({
      ...common,
      providers: [{ id: 'github', clientId: 'a', clientSecret: 'b', redirectUri: 'https://app.test/cb' }],
    });
    const app = new Hono();
    app.get('/start', (c) => oauth.start(c, 'github'));
    const res = await app.request('https://app.test/start');
    expect(res.headers.get('location')?.startsWith('https://github.com/login/oauth/authorize?')).toBe(true);
    expect(res.headers.get('set-cookie')).toMatch(
      /^__Host-smarter_oauth_github=[^;]+; Max-Age=600; Path=\/; HttpOnly; SameSite=Lax; Secure$/,
    );
  });
});
