import { describe, expect, it } from 'vitest';
import { generateAccountNumber } from '../accounts/account-number.ts';
import type { ApiKeyRecord, AuthRepositories, UserRecord } from '../ports.ts';

/** What a repositories factory hands the suite. */
export interface RepositoriesUnderTest {
  readonly repositories: AuthRepositories;
  /** Frees the database (close connections, drop tables). */
  close?(): Promise<void> | void;
}

/**
 * The behaviour every {@link AuthRepositories} implementation must have (memory, SQLite drivers, D1, PostgreSQL).
 * `create` is called once per test and must give an empty, isolated database (or unique data per call).
 *
 * @example
 * authRepositoriesConformance('better-sqlite3', async () => ({ repositories: authRepositories(openBetterSqlite(':memory:')) }));
 */
export function authRepositoriesConformance(
  name: string,
  create: () => Promise<RepositoriesUnderTest> | RepositoriesUnderTest,
): void {
  let n = 0;
  const unique = () => `${Date.now().toString(36)}${(n++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const withRepos = (fn: (r: AuthRepositories) => Promise<void>) => async () => {
    const under = await create();
    try {
      await fn(under.repositories);
    } finally {
      await under.close?.();
    }
  };
  async function seed(r: AuthRepositories): Promise<UserRecord> {
    const u = unique();
    const account = await r.accounts.create({ number: generateAccountNumber(), name: `acc ${u}` });
    return r.users.create({
      accountId: account.id,
      email: `User.${u}@Example.com`,
      role: 'member',
      active: true,
      emailVerified: false,
      passwordHash: null,
    });
  }
  function key(user: UserRecord, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
    return {
      id: unique().slice(0, 16),
      accountId: user.accountId,
      userId: user.id,
      name: 'k',
      description: '',
      hash: 'aGFzaA',
      pepperId: 'k1',
      lastFour: 'abcd',
      scopes: ['agents:read', 'keys:write'],
      agentIds: ['agent-1'],
      createdAt: 1_000,
      expiresAt: 2_000_000,
      lastUsedAt: null,
      active: true,
      revokedAt: null,
      ...overrides,
    };
  }

  describe(`AuthRepositories conformance: ${name}`, () => {
    it(
      'accounts round-trip by id and number',
      withRepos(async (r) => {
        const number = generateAccountNumber();
        const account = await r.accounts.create({ number, name: 'Acme' });
        expect(account).toMatchObject({ number, name: 'Acme' });
        expect(typeof account.createdAt).toBe('number');
        expect(await r.accounts.getById(account.id)).toEqual(account);
        expect(await r.accounts.getByNumber(number)).toEqual(account);
        expect(await r.accounts.getById('00000000-0000-0000-0000-000000000000')).toBeUndefined();
      }),
    );

    it(
      'users: lower-cased, unique case-insensitively, found case-insensitively, patched',
      withRepos(async (r) => {
        const user = await seed(r);
        expect(user.email).toBe(user.email.toLowerCase());
        expect(user).toMatchObject({ lastLoginAt: null, passwordChangedAt: null, role: 'member', active: true });
        expect(await r.users.getByEmail(user.email.toUpperCase())).toEqual(user);
        await expect(
          r.users.create({
            accountId: user.accountId,
            email: user.email.toUpperCase(),
            role: 'member',
            active: true,
            emailVerified: false,
            passwordHash: null,
          }),
        ).rejects.toMatchObject({ code: 'DATA_CONFLICT' });
        const patched = await r.users.update(user.id, {
          role: 'admin',
          passwordHash: '$x$i=1$c2FsdA$aGFzaA',
          passwordChangedAt: 5,
          lastLoginAt: 6,
          emailVerified: true,
        });
        expect(patched).toMatchObject({
          role: 'admin',
          passwordHash: '$x$i=1$c2FsdA$aGFzaA',
          passwordChangedAt: 5,
          lastLoginAt: 6,
          emailVerified: true,
          email: user.email,
        });
        expect(await r.users.getById(user.id)).toEqual(patched);
        expect(await r.users.update('00000000-0000-0000-0000-000000000000', { active: false })).toBeUndefined();
        expect((await r.users.listByAccount(user.accountId)).map((u) => u.id)).toEqual([user.id]);
      }),
    );

    it(
      'API keys: round-trip arrays, list by user, account and all, revoke once, set expiry',
      withRepos(async (r) => {
        const user = await seed(r);
        const other = await seed(r);
        const k = key(user);
        await r.keys.create(k);
        const otherKey = key(other);
        await r.keys.create(otherKey);
        expect(await r.keys.getById(k.id)).toEqual(k);
        expect((await r.keys.listByUser(user.id)).map((x) => x.id)).toEqual([k.id]);
        expect((await r.keys.listByAccount(user.accountId)).map((x) => x.id)).toEqual([k.id]);
        const all = await r.keys.listAll();
        expect(all.map((x) => x.id)).toEqual(expect.arrayContaining([k.id, otherKey.id]));
        expect(all.find((x) => x.id === k.id)).toEqual(k);
        expect(await r.keys.revoke(k.id, 3_000)).toBe(true);
        expect(await r.keys.revoke(k.id, 4_000)).toBe(false);
        expect(await r.keys.getById(k.id)).toMatchObject({ active: false, revokedAt: 3_000 });
        await r.keys.setExpiry(k.id, 9_000);
        expect((await r.keys.getById(k.id))?.expiresAt).toBe(9_000);
        expect(await r.keys.getById('nope')).toBeUndefined();
        expect(await r.keys.getWithOwner(k.id)).toEqual({ key: await r.keys.getById(k.id), owner: user });
        expect(await r.keys.getWithOwner('nope')).toBeUndefined();
      }),
    );

    it(
      'API keys: touchLastUsed is a compare-and-swap with one winner under concurrency',
      withRepos(async (r) => {
        const user = await seed(r);
        const k = key(user);
        await r.keys.create(k);
        expect(await r.keys.touchLastUsed(k.id, 10_000, 9_000)).toBe(true);
        expect(await r.keys.touchLastUsed(k.id, 10_500, 9_000)).toBe(false);
        expect((await r.keys.getById(k.id))?.lastUsedAt).toBe(10_000);
        const wins = await Promise.all(
          Array.from({ length: 10 }, (_, i) => r.keys.touchLastUsed(k.id, 20_000 + i, 15_000)),
        );
        expect(wins.filter(Boolean)).toHaveLength(1);
      }),
    );

    it(
      'sessions: create, get, touch, delete, delete all of a user but one',
      withRepos(async (r) => {
        const user = await seed(r);
        const other = await seed(r);
        const s = (idHash: string, u: UserRecord) => ({
          idHash,
          userId: u.id,
          accountId: u.accountId,
          createdAt: 1,
          lastSeenAt: 1,
          expiresAt: 100,
        });
        const [a, b, c, d] = [unique(), unique(), unique(), unique()];
        await r.sessions.create(s(a, user));
        await r.sessions.create(s(b, user));
        await r.sessions.create(s(c, user));
        await r.sessions.create(s(d, other));
        expect(await r.sessions.get(a)).toEqual(s(a, user));
        await r.sessions.touch(a, 50);
        expect((await r.sessions.get(a))?.lastSeenAt).toBe(50);
        await r.sessions.delete(b);
        expect(await r.sessions.get(b)).toBeUndefined();
        expect(await r.sessions.deleteByUser(user.id, a)).toBe(1);
        expect(await r.sessions.get(a)).toBeDefined();
        expect(await r.sessions.get(c)).toBeUndefined();
        expect(await r.sessions.deleteByUser(user.id)).toBe(1);
        expect(await r.sessions.get(d)).toBeDefined();
      }),
    );

    it(
      'OAuth links: one per provider account and one per provider for a user, listed, deleted',
      withRepos(async (r) => {
        const user = await seed(r);
        const other = await seed(r);
        const [a, b] = [unique(), unique()];
        const link = await r.oauthLinks.create({ provider: 'google', subject: a, userId: user.id });
        expect(link).toMatchObject({ provider: 'google', subject: a, userId: user.id });
        expect(typeof link.createdAt).toBe('number');
        expect(await r.oauthLinks.get('google', a)).toEqual(link);
        expect(await r.oauthLinks.get('github', a)).toBeUndefined();
        // Someone else's provider account, or a second account of the same provider, cannot be linked.
        await expect(r.oauthLinks.create({ provider: 'google', subject: a, userId: other.id })).rejects.toMatchObject({
          code: 'DATA_CONFLICT',
        });
        await expect(r.oauthLinks.create({ provider: 'google', subject: b, userId: user.id })).rejects.toMatchObject({
          code: 'DATA_CONFLICT',
        });
        const github = await r.oauthLinks.create({ provider: 'github', subject: a, userId: user.id });
        expect(await r.oauthLinks.listByUser(user.id)).toEqual(expect.arrayContaining([link, github]));
        expect(await r.oauthLinks.listByUser(user.id)).toHaveLength(2);
        expect(await r.oauthLinks.listByUser(other.id)).toEqual([]);
        expect(await r.oauthLinks.delete('google', a)).toBe(true);
        expect(await r.oauthLinks.delete('google', a)).toBe(false);
        expect(await r.oauthLinks.get('google', a)).toBeUndefined();
        expect((await r.oauthLinks.create({ provider: 'google', subject: b, userId: user.id })).subject).toBe(b);
      }),
    );
  });
}
