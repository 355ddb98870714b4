import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AuthVariables } from '../principal/principal.ts';
import { seedUser, world } from '../testing-node/fixtures.ts';
import { createSessionManager, resolveSessionManagerOptions, sessionAuth, sessionIdentity } from './session-manager.ts';

async function setup(options: Record<string, unknown> = {}) {
  const w = world();
  const sessions = createSessionManager({ repositories: w.repos, journal: w.journal, now: w.clock.now, ...options });
  const { user } = await seedUser(w.repos, 'user@example.com');
  const app = new Hono<{ Variables: AuthVariables }>();
  app.post('/login', async (c) => {
    await sessions.login(c, user);
    return c.json({ ok: true });
  });
  app.post('/logout', async (c) => {
    await sessions.logout(c);
    return c.json({ ok: true });
  });
  app.post('/elevate', async (c) => {
    await sessions.rotate(c);
    return c.json({ ok: true });
  });
  app.post('/password', async (c) => {
    await sessions.passwordChanged(c, user);
    return c.json({ ok: true });
  });
  app.get('/me', sessionAuth({ sessions, journal: w.journal }), (c) =>
    c.json({ user: c.get('principal')?.userId, csrf: sessionIdentity(c) }),
  );
  return { ...w, sessions, user, app };
}

function cookieOf(res: Response): string {
  const header = res.headers.getSetCookie().find((h) => !h.includes('Max-Age=0')) ?? '';
  return header.split(';')[0] ?? '';
}

const call = (app: Hono<{ Variables: AuthVariables }>, method: string, path: string, cookie?: string) =>
  app.request(`https://app.test${path}`, { method, headers: cookie ? { cookie } : {} });

describe('resolveSessionManagerOptions', () => {
  it('uses __Host- with Secure, HttpOnly, SameSite=Lax by default', () => {
    const o = resolveSessionManagerOptions({ repositories: {} as never });
    expect(o.cookieName).toBe('__Host-smarter_session');
    expect(o.cookieAttributes).toBe('Path=/; HttpOnly; SameSite=Lax; Secure');
    expect(o.idleTimeoutMs).toBe(12 * 3_600_000);
    expect(o.absoluteTimeoutMs).toBe(14 * 86_400_000);
  });
  it('refuses misspellings and prefixed names; insecure cookies only when named dangerously', () => {
    expect(() => resolveSessionManagerOptions({ repositories: {} as never, secure: false } as never)).toThrow(/secure/);
    expect(() => resolveSessionManagerOptions({ repositories: {} as never, cookieName: '__Host-x' })).toThrow(/prefix/);
    expect(() =>
      resolveSessionManagerOptions({ repositories: {} as never, idleTimeoutMs: 10, absoluteTimeoutMs: 5 }),
    ).toThrow();
    const dev = resolveSessionManagerOptions({ repositories: {} as never, dangerouslyAllowInsecureCookies: true });
    expect(dev.cookieAttributes).not.toContain('Secure');
    expect(dev.cookieName).toBe('smarter_session');
  });
});

describe('sessions', () => {
  it('logs in with an opaque 256-bit id stored only by hash', async () => {
    const { app, repos, user, sink } = await setup();
    const res = await call(app, 'POST', '/login');
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(
      /^__Host-smarter_session=[A-Za-z0-9_-]{43}; Max-Age=1209600; Path=\/; HttpOnly; SameSite=Lax; Secure$/,
    );
    const cookie = cookieOf(res);
    const id = cookie.split('=')[1] ?? '';
    const me = await call(app, 'GET', '/me', cookie);
    expect(me.status).toBe(200);
    const body = (await me.json()) as { user: string; csrf: string };
    expect(body.user).toBe(user.id);
    expect(body.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.csrf).not.toBe(id);
    expect(await repos.sessions.get(id)).toBeUndefined();
    expect(await repos.sessions.get(body.csrf)).toBeDefined();
    expect(sink.events.map((e) => e.type)).toContain('session.created');
  });

  it("refuses missing, forged and malformed cookies with apiKeyAuth's 401: one body, a challenge, no-store", async () => {
    const { app, sink } = await setup();
    const bodies = new Set<string>();
    for (const cookie of [
      undefined,
      '__Host-smarter_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      '__Host-smarter_session=../../etc',
    ]) {
      const res = await call(app, 'GET', '/me', cookie);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      // RFC 9110: every 401 carries a challenge; it is the API-key one, so every 401 of an API reads the same.
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="smarter", Token realm="smarter"');
      expect(res.headers.get('cache-control')).toBe('no-store');
      bodies.add(await res.text());
    }
    expect(bodies.size).toBe(1);
    expect(() => sessionAuth({ sessions: {} as never, realm: 'a "quoted" realm' })).toThrow(/realm/);
    expect(sink.events.filter((e) => e.type === 'auth.failed').map((e) => e.reason)).toEqual([
      'NO_SESSION',
      'NO_SESSION',
      'NO_SESSION',
    ]);
  });

  it('expires on idle and on absolute timeouts by the clock', async () => {
    const { app, clock } = await setup({ idleTimeoutMs: 60_000, absoluteTimeoutMs: 150_000, touchIntervalMs: 1000 });
    const cookie = cookieOf(await call(app, 'POST', '/login'));
    clock.advance(59_000);
    expect((await call(app, 'GET', '/me', cookie)).status).toBe(200);
    clock.advance(59_000);
    expect((await call(app, 'GET', '/me', cookie)).status).toBe(200);
    clock.advance(40_000); // 158 s after login: past the absolute limit though never idle 60 s
    expect((await call(app, 'GET', '/me', cookie)).status).toBe(401);
    const fresh = cookieOf(await call(app, 'POST', '/login'));
    clock.advance(60_000);
    expect((await call(app, 'GET', '/me', fresh)).status).toBe(401);
  });

  it('rotates on login and privilege change: the old id stops working', async () => {
    const { app } = await setup();
    const first = cookieOf(await call(app, 'POST', '/login'));
    const second = cookieOf(await call(app, 'POST', '/login', first));
    expect(second).not.toBe(first);
    expect((await call(app, 'GET', '/me', first)).status).toBe(401);
    const elevated = cookieOf(await call(app, 'POST', '/elevate', second));
    expect(elevated).not.toBe(second);
    expect((await call(app, 'GET', '/me', second)).status).toBe(401);
    expect((await call(app, 'GET', '/me', elevated)).status).toBe(200);
  });

  it('keeps the absolute timeout of the sign-in when the id rotates (a privilege change does not extend it)', async () => {
    const { app, clock } = await setup({ idleTimeoutMs: 60_000, absoluteTimeoutMs: 150_000, touchIntervalMs: 1000 });
    const signedIn = cookieOf(await call(app, 'POST', '/login'));
    clock.advance(50_000);
    expect((await call(app, 'GET', '/me', signedIn)).status).toBe(200); // active: never idle 60 s
    clock.advance(50_000);
    const res = await call(app, 'POST', '/elevate', signedIn);
    expect(res.headers.get('set-cookie')).toMatch(/Max-Age=50;/);
    const elevated = cookieOf(res);
    clock.advance(40_000);
    expect((await call(app, 'GET', '/me', elevated)).status).toBe(200);
    clock.advance(20_000); // 160 s after signing in
    expect((await call(app, 'GET', '/me', elevated)).status).toBe(401);
  });

  it('logout deletes the session server-side and expires the cookie', async () => {
    const { app } = await setup();
    const cookie = cookieOf(await call(app, 'POST', '/login'));
    const res = await call(app, 'POST', '/logout', cookie);
    expect(res.headers.get('set-cookie')).toBe(
      '__Host-smarter_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax; Secure',
    );
    expect((await call(app, 'GET', '/me', cookie)).status).toBe(401);
  });

  it('ends every session of the user on a password change, keeping the caller signed in with a new id', async () => {
    const { app, sessions, user } = await setup();
    const laptop = cookieOf(await call(app, 'POST', '/login'));
    const phone = cookieOf(await call(app, 'POST', '/login'));
    const fresh = cookieOf(await call(app, 'POST', '/password', laptop));
    expect((await call(app, 'GET', '/me', laptop)).status).toBe(401);
    expect((await call(app, 'GET', '/me', phone)).status).toBe(401);
    expect((await call(app, 'GET', '/me', fresh)).status).toBe(200);
    expect(await sessions.endAll(user.id)).toBe(1);
    expect((await call(app, 'GET', '/me', fresh)).status).toBe(401);
  });

  it('ends a session signed in before the password changed, even when ending the sessions then failed', async () => {
    const { app, repos, user, clock } = await setup();
    const before = cookieOf(await call(app, 'POST', '/login'));
    clock.advance(1000);
    // A reset that stored the new password but could not delete the sessions.
    await repos.users.update(user.id, { passwordChangedAt: clock.now() });
    expect((await call(app, 'GET', '/me', before)).status).toBe(401);
    expect(await repos.sessions.deleteByUser(user.id)).toBe(0);
  });

  it('refuses a sign-in whose password was reset while it was being checked, leaving no session', async () => {
    const { app, repos, user, clock, sessions } = await setup();
    // The login checked `user` (the old password); the reset lands before its session is written.
    clock.advance(1000);
    await repos.users.update(user.id, { passwordHash: 'pbkdf2_sha256$1$new$hash', passwordChangedAt: clock.now() });
    await repos.sessions.deleteByUser(user.id);
    app.post('/stale-login', async (c) => {
      await sessions.login(c, user);
      return c.json({ ok: true });
    });
    app.onError((error, c) => c.json({ code: (error as { code?: string }).code }, 401));
    const res = await call(app, 'POST', '/stale-login');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 'SESSION_STALE' });
    expect(await sessions.endAll(user.id)).toBe(0);
  });

  it('ends sessions of deactivated users at once', async () => {
    const { app, repos, user } = await setup();
    const cookie = cookieOf(await call(app, 'POST', '/login'));
    await repos.users.update(user.id, { active: false });
    expect((await call(app, 'GET', '/me', cookie)).status).toBe(401);
  });
});
