import { describe, expect, it } from 'vitest';
import { seedUser, world } from '../testing-node/fixtures.ts';
import type { PasswordEngine } from './engine.ts';
import { createLoginService, loginFailureResponse, resolveLoginServiceOptions } from './login.ts';
import { createPasswordHasher } from './password-hasher.ts';
import { pbkdf2Engine } from './pbkdf2-engine.ts';

function countingEngine(inner: PasswordEngine): PasswordEngine & { calls: number } {
  const engine = {
    ...inner,
    calls: 0,
    derive(...args: Parameters<PasswordEngine['derive']>) {
      engine.calls++;
      return inner.derive(...args);
    },
  };
  return engine;
}

async function setup(maxFailures = 10, maxAttemptsPerAddress?: number) {
  const w = world();
  const engine = countingEngine(pbkdf2Engine({ iterations: 10_000 }));
  const hasher = createPasswordHasher({ engine });
  const login = createLoginService({
    repositories: w.repos,
    hasher,
    store: w.store,
    journal: w.journal,
    now: w.clock.now,
    maxFailures,
    ...(maxAttemptsPerAddress === undefined ? {} : { maxAttemptsPerAddress }),
  });
  const { user } = await seedUser(w.repos, 'alice@example.com');
  await w.repos.users.update(user.id, { passwordHash: await hasher.hash('correct horse battery') });
  await hasher.verifyDummy('warm up the dummy hash');
  engine.calls = 0;
  return { ...w, login, hasher, engine, user };
}

describe('resolveLoginServiceOptions', () => {
  it('defaults to 10 failures per 15 minutes and refuses nonsense', () => {
    const base = { repositories: {} as never, hasher: {} as never, store: {} as never };
    expect(resolveLoginServiceOptions(base)).toMatchObject({ maxFailures: 10, windowMs: 900_000 });
    expect(() => resolveLoginServiceOptions({ ...base, maxFailures: 0 })).toThrow(/maxFailures/);
  });
});

describe('login', () => {
  it('signs in case-insensitively and records the login time', async () => {
    const { login, user, clock } = await setup();
    const result = await login.authenticate({
      email: ' ALICE@example.com',
      password: 'correct horse battery',
      clientKey: '192.0.2.1',
    });
    expect(result.ok && result.user.id).toBe(user.id);
    expect(result.ok && result.user.lastLoginAt).toBe(clock.now());
  });

  it('fails uniformly for unknown users and wrong passwords, spending one hash either way', async () => {
    const { login, engine } = await setup();
    const wrong = await login.authenticate({ email: 'alice@example.com', password: 'nope', clientKey: '192.0.2.1' });
    expect(engine.calls).toBe(1);
    const unknown = await login.authenticate({ email: 'bob@example.com', password: 'nope', clientKey: '192.0.2.1' });
    expect(engine.calls).toBe(2);
    expect(wrong).toEqual({ ok: false, code: 'INVALID_CREDENTIALS' });
    expect(unknown).toEqual(wrong);
    const a = await loginFailureResponse(wrong as never).text();
    const b = await loginFailureResponse(unknown as never).text();
    expect(a).toBe(b);
    expect(a).not.toContain('alice');
  });

  it('refuses inactive users with the same failure', async () => {
    const { login, repos, user } = await setup();
    await repos.users.update(user.id, { active: false });
    expect(
      await login.authenticate({ email: 'alice@example.com', password: 'correct horse battery', clientKey: 'ip' }),
    ).toEqual({ ok: false, code: 'INVALID_CREDENTIALS' });
  });

  it('locks an account after 10 failures for 15 minutes (429 + Retry-After), from any IP', async () => {
    const { login, clock, sink, engine } = await setup();
    for (let i = 0; i < 10; i++) {
      await login.authenticate({ email: 'alice@example.com', password: `wrong${i}`, clientKey: `198.51.100.${i}` });
    }
    const calls = engine.calls;
    const locked = await login.authenticate({
      email: 'alice@example.com',
      password: 'correct horse battery',
      clientKey: '203.0.113.9',
    });
    expect(locked).toMatchObject({ ok: false, code: 'LOGIN_THROTTLED', retryAfterSeconds: 900 });
    expect(engine.calls).toBe(calls);
    const res = loginFailureResponse(locked as never);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('900');
    expect(sink.events.filter((e) => e.type === 'login.locked').map((e) => e.reason)).toEqual(['ACCOUNT_LOCKED']);
    clock.advance(900_000);
    expect(
      (
        await login.authenticate({
          email: 'alice@example.com',
          password: 'correct horse battery',
          clientKey: '203.0.113.9',
        })
      ).ok,
    ).toBe(true);
  });

  it('lets no more than the limit of parallel guesses at one account reach the password check', async () => {
    const { login, engine, sink } = await setup(5);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        login.authenticate({ email: 'alice@example.com', password: `guess${i}`, clientKey: `198.51.100.${i}` }),
      ),
    );
    expect(results.filter((r) => !r.ok && r.code === 'INVALID_CREDENTIALS')).toHaveLength(5);
    expect(results.filter((r) => !r.ok && r.code === 'LOGIN_THROTTLED')).toHaveLength(35);
    expect(engine.calls).toBe(5);
    expect(sink.events.filter((e) => e.type === 'login.locked').map((e) => e.reason)).toEqual(['ACCOUNT_LOCKED']);
    // The right password is refused too until the lock ends.
    const right = await login.authenticate({
      email: 'alice@example.com',
      password: 'correct horse battery',
      clientKey: '192.0.2.1',
    });
    expect(right).toMatchObject({ code: 'LOGIN_THROTTLED' });
  });

  it('clears the account count on success, so a user who mistypes now and then is never locked', async () => {
    const { login } = await setup(3);
    for (let round = 0; round < 4; round++) {
      // From a new address each round: failures per address are counted apart and not cleared by a success.
      const clientKey = `192.0.2.${round}`;
      await login.authenticate({ email: 'alice@example.com', password: 'typo', clientKey });
      const ok = await login.authenticate({ email: 'alice@example.com', password: 'correct horse battery', clientKey });
      expect(ok.ok).toBe(true);
    }
  });

  it('caps the attempts of one address over many accounts, counted before any password is checked', async () => {
    const { login, engine, repos, hasher, store } = await setup(3, 8);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        login.authenticate({ email: `user${i}@example.com`, password: 'guess', clientKey: '192.0.2.66' }),
      ),
    );
    expect(results.filter((r) => !r.ok && r.code === 'LOGIN_THROTTLED')).toHaveLength(22);
    expect(engine.calls).toBe(8);
    expect(() =>
      resolveLoginServiceOptions({ repositories: repos, hasher, store, maxFailures: 5, maxAttemptsPerAddress: 4 }),
    ).toThrow(/maxAttemptsPerAddress/);
  });

  it('does not count the attempts an address makes past its cap against the accounts it names', async () => {
    const { login, repos, hasher } = await setup(3, 3);
    for (const email of ['carol@example.com', 'dave@example.com']) {
      const { user } = await seedUser(repos, email);
      await repos.users.update(user.id, { passwordHash: await hasher.hash('correct horse battery') });
    }
    // A busy shared address: three good sign-ins use up its attempts (no failure, so no lock).
    const shared = '198.51.100.77';
    for (let i = 0; i < 3; i++) {
      const ok = await login.authenticate({
        email: 'dave@example.com',
        password: 'correct horse battery',
        clientKey: shared,
      });
      expect(ok.ok).toBe(true);
    }
    for (let i = 0; i < 10; i++) {
      const r = await login.authenticate({ email: 'carol@example.com', password: 'guess', clientKey: shared });
      expect(r).toMatchObject({ code: 'LOGIN_THROTTLED' });
    }
    // Carol's account was not charged for them: she signs in from elsewhere.
    const ok = await login.authenticate({
      email: 'carol@example.com',
      password: 'correct horse battery',
      clientKey: '203.0.113.5',
    });
    expect(ok.ok).toBe(true);
  });

  it('keeps a password reset that lands while an old hash is being upgraded, and returns the user as checked', async () => {
    const w = world();
    const strong = createPasswordHasher({ engine: pbkdf2Engine({ iterations: 20_000 }) });
    const weak = createPasswordHasher({ engine: pbkdf2Engine({ iterations: 10_000 }) });
    const { user } = await seedUser(w.repos, 'erin@example.com');
    await w.repos.users.update(user.id, { passwordHash: await weak.hash('correct horse battery') });
    const hasher = {
      ...strong,
      async hash(password: string) {
        const upgraded = await strong.hash(password);
        // The reset's write, between the check of the old password and the upgrade of its hash.
        await w.repos.users.update(user.id, { passwordHash: 'reset-meanwhile', passwordChangedAt: 5 });
        return upgraded;
      },
    };
    const login = createLoginService({ repositories: w.repos, hasher, store: w.store, now: w.clock.now });
    const result = await login.authenticate({
      email: 'erin@example.com',
      password: 'correct horse battery',
      clientKey: '203.0.113.9',
    });
    expect((await w.repos.users.getById(user.id))?.passwordHash).toBe('reset-meanwhile');
    expect(result.ok && result.user.passwordHash).not.toBe('reset-meanwhile');
    expect(result.ok && result.user.passwordChangedAt).toBeNull();
  });

  it('locks an IP that tries many accounts', async () => {
    const { login } = await setup(3);
    for (let i = 0; i < 3; i++)
      await login.authenticate({ email: `user${i}@example.com`, password: 'x', clientKey: '192.0.2.7' });
    expect(
      await login.authenticate({
        email: 'alice@example.com',
        password: 'correct horse battery',
        clientKey: '192.0.2.7',
      }),
    ).toMatchObject({ code: 'LOGIN_THROTTLED' });
    expect(
      (
        await login.authenticate({
          email: 'alice@example.com',
          password: 'correct horse battery',
          clientKey: '192.0.2.8',
        })
      ).ok,
    ).toBe(true);
  });

  it('rehashes on login when parameters are outdated', async () => {
    const w = await setup();
    const stronger = createPasswordHasher({ engine: pbkdf2Engine({ iterations: 20_000 }) });
    const login = createLoginService({ repositories: w.repos, hasher: stronger, store: w.store });
    const before = (await w.repos.users.getById(w.user.id))?.passwordHash;
    const result = await login.authenticate({
      email: 'alice@example.com',
      password: 'correct horse battery',
      clientKey: 'ip',
    });
    expect(result.ok).toBe(true);
    const after = (await w.repos.users.getById(w.user.id))?.passwordHash ?? '';
    expect(before).toContain('i=10000');
    expect(after).toContain('i=20000');
    expect((await stronger.verify('correct horse battery', after)).ok).toBe(true);
  });

  it('fails closed when the store is down', async () => {
    const { login, store } = await setup();
    store.failing = true;
    await expect(
      login.authenticate({ email: 'alice@example.com', password: 'correct horse battery', clientKey: 'ip' }),
    ).rejects.toMatchObject({ code: 'AUTH_UNAVAILABLE', status: 503 });
  });
});
