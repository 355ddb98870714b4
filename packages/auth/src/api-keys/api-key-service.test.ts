import { isSmarterError } from '@smarter/security';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../internal/clock.ts';
import { seedUser, world } from '../testing-node/fixtures.ts';
import { createApiKeyService, resolveApiKeyServiceOptions } from './api-key-service.ts';
import { formatApiKey, parseApiKey } from './format.ts';

async function setup(overrides: Record<string, unknown> = {}) {
  const w = world();
  const keys = createApiKeyService({
    repositories: w.repos,
    store: w.store,
    keyRing: w.ring,
    journal: w.journal,
    now: w.clock.now,
    ...overrides,
  });
  const { user, account } = await seedUser(w.repos, 'owner@example.com');
  return { ...w, keys, user, account };
}

describe('resolveApiKeyServiceOptions', () => {
  const base = { repositories: {} as never, store: {} as never, keyRing: {} as never };
  it('applies the defaults: 365 days, max 1095 days, 5 s cache, 5 min last-used throttle', () => {
    expect(resolveApiKeyServiceOptions(base)).toMatchObject({
      defaultLifetimeMs: 365 * DAY_MS,
      maxLifetimeMs: 1095 * DAY_MS,
      cacheTtlMs: 5000,
      lastUsedIntervalMs: 300_000,
    });
  });
  it('refuses misspelled and unsafe options', () => {
    expect(() => resolveApiKeyServiceOptions({ ...base, cacheTTL: 1 } as never)).toThrow(/cacheTTL.*cacheTtlMs/);
    expect(() => resolveApiKeyServiceOptions({ ...base, maxLifetimeMs: 2000 * DAY_MS })).toThrow(/1095/);
    expect(() => resolveApiKeyServiceOptions({ ...base, cacheTtlMs: 86_400_000 })).toThrow(/revocation/);
    expect(() => resolveApiKeyServiceOptions({ ...base, defaultLifetimeMs: 0 })).toThrow(/defaultLifetimeMs/);
  });
});

describe('API key service', () => {
  it('issues a key once and stores only a keyed hash, the last four and metadata', async () => {
    const { keys, user, repos, sink } = await setup();
    const { token, record } = await keys.issue(user, { name: 'ci', scopes: ['agents:read'] });
    const stored = await repos.keys.getById(record.id);
    expect(stored).toBeDefined();
    expect(JSON.stringify(stored)).not.toContain(token.slice(21, 60));
    expect(stored?.lastFour).toBe(token.slice(-4));
    expect(stored?.pepperId).toBe('k2');
    expect(stored?.expiresAt).toBe((stored?.createdAt ?? 0) + 365 * DAY_MS);
    expect(sink.events.map((e) => e.type)).toContain('key.created');
    expect(JSON.stringify(sink.events)).not.toContain(token);
  });

  it('verifies a good key and refuses unknown ids, wrong secrets and malformed tokens', async () => {
    const { keys, user } = await setup();
    const { token, record } = await keys.issue(user, { name: 'ci' });
    const ok = await keys.verify(token);
    expect(ok.ok && ok.key.id).toBe(record.id);
    const other = (await setup()).keys;
    expect(await other.verify(token)).toMatchObject({ ok: false, reason: 'UNKNOWN_KEY' });
    expect(await keys.verify('smk_nope')).toMatchObject({ ok: false, reason: 'MALFORMED' });
  });

  it('refuses a key with the right id and a different secret', async () => {
    const { keys, user } = await setup();
    const a = await keys.issue(user, { name: 'a' });
    const b = await keys.issue(user, { name: 'b' });
    const forged = formatApiKey(a.record.id, parseApiKey(b.token)?.secret ?? '');
    expect(parseApiKey(forged)).toBeDefined();
    expect(await keys.verify(forged)).toMatchObject({ ok: false, reason: 'BAD_SECRET' });
    // And a warm cache for a's id does not help a wrong secret either.
    expect((await keys.verify(a.token)).ok).toBe(true);
    expect(await keys.verify(forged)).toMatchObject({ ok: false, reason: 'BAD_SECRET' });
  });

  it('enforces expiry and the maximum lifetime, and refuses lifetimes above the maximum at creation', async () => {
    const { keys, user, clock, sink } = await setup();
    const { token } = await keys.issue(user, { name: 'short', expiresInMs: DAY_MS });
    clock.advance(DAY_MS);
    expect(await keys.verify(token)).toMatchObject({ ok: false, reason: 'EXPIRED' });
    let thrown: unknown;
    try {
      await keys.issue(user, { name: 'forever', expiresInMs: 1096 * DAY_MS });
    } catch (error) {
      thrown = error;
    }
    expect(isSmarterError(thrown) && thrown.code).toBe('KEY_LIFETIME_INVALID');
    expect(sink.events.filter((e) => e.type === 'key.created')).toHaveLength(1);
  });

  it('refuses keys whose stored lifetime exceeds the maximum (journal key.lifetime_exceeded)', async () => {
    const { keys, user, repos, sink } = await setup();
    const { token, record } = await keys.issue(user, { name: 'legacy' });
    await repos.keys.setExpiry(record.id, record.createdAt + 2000 * DAY_MS);
    expect(await keys.verify(token)).toMatchObject({ ok: false, reason: 'LIFETIME_EXCEEDED' });
    expect(sink.events.some((e) => e.type === 'key.lifetime_exceeded' && e.principal === record.id)).toBe(true);
  });

  it('warns once a day before expiry', async () => {
    const { keys, user, clock, sink } = await setup();
    const { token } = await keys.issue(user, { name: 'k', expiresInMs: 40 * DAY_MS });
    await keys.verify(token);
    await new Promise((r) => setTimeout(r, 0));
    expect(sink.events.filter((e) => e.type === 'key.lifetime_warning')).toHaveLength(0);
    clock.advance(11 * DAY_MS);
    await keys.verify(token);
    await keys.verify(token);
    await new Promise((r) => setTimeout(r, 0));
    expect(sink.events.filter((e) => e.type === 'key.lifetime_warning')).toHaveLength(1);
  });

  it('revocation on one instance takes effect at once on another instance with a warm cache', async () => {
    const w = await setup();
    const other = createApiKeyService({ repositories: w.repos, store: w.store, keyRing: w.ring, now: w.clock.now });
    const { token, record } = await w.keys.issue(w.user, { name: 'k' });
    expect((await other.verify(token)).ok).toBe(true);
    expect((await other.verify(token)).ok).toBe(true); // warm cache
    expect(await w.keys.revoke(w.user, record.id)).toBe(true);
    expect(await other.verify(token)).toMatchObject({ ok: false, reason: 'REVOKED' });
    expect(w.sink.events.map((e) => e.type)).toContain('key.revoked');
  });

  it('fails closed when the store cannot give the revocation epoch', async () => {
    const { keys, user, store } = await setup();
    const { token } = await keys.issue(user, { name: 'k' });
    store.failing = true;
    await expect(keys.verify(token)).rejects.toMatchObject({ code: 'AUTH_UNAVAILABLE', status: 503 });
  });

  it('refuses keys of inactive owners and checks agent bindings', async () => {
    const { keys, user, repos } = await setup();
    const bound = await keys.issue(user, { name: 'bound', agentIds: ['agent-1'] });
    expect((await keys.verify(bound.token, { agentId: 'agent-1' })).ok).toBe(true);
    expect(await keys.verify(bound.token, { agentId: 'agent-2' })).toMatchObject({ reason: 'AGENT_NOT_BOUND' });
    expect(await keys.verify(bound.token)).toMatchObject({ reason: 'AGENT_NOT_BOUND' });
    const free = await keys.issue(user, { name: 'free' });
    await repos.users.update(user.id, { active: false });
    expect(
      await createApiKeyService({
        repositories: repos,
        store: (await setup()).store,
        keyRing: (await setup()).ring,
      }).verify(free.token),
    ).toMatchObject({
      ok: false,
      reason: 'OWNER_INACTIVE',
    });
  });

  it("refuses another account's keys on an account's agent host, bound or not, cached or not (superusers' keys pass)", async () => {
    const { keys, user, account, repos } = await setup();
    const other = await seedUser(repos, 'other@example.com');
    const root = await seedUser(repos, 'root@example.com', 'superuser');
    const own = await keys.issue(user, { name: 'own' });
    const foreign = await keys.issue(other.user, { name: 'foreign' });
    const foreignBound = await keys.issue(other.user, { name: 'foreign-bound', agentIds: ['agent-a'] });
    const superuser = await keys.issue(root.user, { name: 'root' });
    const onAgentA = { agentId: 'agent-a', accountId: account.id };
    for (let round = 0; round < 2; round++) {
      expect((await keys.verify(own.token, onAgentA)).ok).toBe(true);
      expect(await keys.verify(foreign.token, onAgentA)).toMatchObject({ ok: false, reason: 'ACCOUNT_MISMATCH' });
      expect(await keys.verify(foreignBound.token, onAgentA)).toMatchObject({ ok: false, reason: 'ACCOUNT_MISMATCH' });
      expect((await keys.verify(superuser.token, onAgentA)).ok).toBe(true);
      // Off agent hosts (no account given) a key stays valid for its own account's resources.
      expect((await keys.verify(foreign.token)).ok).toBe(true);
    }
  });

  it('writes last_used_at at most every 5 minutes', async () => {
    const { keys, user, repos, clock } = await setup({ cacheTtlMs: 0 });
    const { token, record } = await keys.issue(user, { name: 'k' });
    const t0 = clock.now();
    await keys.verify(token);
    await new Promise((r) => setTimeout(r, 0));
    expect((await repos.keys.getById(record.id))?.lastUsedAt).toBe(t0);
    clock.advance(60_000);
    await keys.verify(token);
    await new Promise((r) => setTimeout(r, 0));
    expect((await repos.keys.getById(record.id))?.lastUsedAt).toBe(t0);
    clock.advance(240_000);
    await keys.verify(token);
    await new Promise((r) => setTimeout(r, 0));
    expect((await repos.keys.getById(record.id))?.lastUsedAt).toBe(t0 + 300_000);
  });

  it('rotates: a new key works, the old one until the grace period ends', async () => {
    const { keys, user, clock, sink } = await setup();
    const old = await keys.issue(user, { name: 'k', scopes: ['a:b'] });
    const rotated = await keys.rotate(user, old.record.id, 3_600_000);
    expect(rotated?.record.scopes).toEqual(['a:b']);
    expect((await keys.verify(old.token)).ok).toBe(true);
    expect((await keys.verify(rotated?.token ?? '')).ok).toBe(true);
    clock.advance(3_600_000);
    expect(await keys.verify(old.token)).toMatchObject({ ok: false, reason: 'EXPIRED' });
    expect((await keys.verify(rotated?.token ?? '')).ok).toBe(true);
    expect(sink.events.map((e) => e.type)).toContain('key.rotated');
  });

  it('does not renew a key that no longer verifies by rotating it (expired, or past the maximum lifetime)', async () => {
    const { keys, user, clock } = await setup({ maxLifetimeMs: 30 * DAY_MS, defaultLifetimeMs: 10 * DAY_MS });
    const short = await keys.issue(user, { name: 'short', expiresInMs: DAY_MS });
    const long = await keys.issue(user, { name: 'long', expiresInMs: 30 * DAY_MS });
    clock.advance(DAY_MS);
    expect(await keys.rotate(user, short.record.id)).toBeUndefined();
    expect(await keys.rotate(user, long.record.id)).toBeDefined();
  });

  it('lets only the owner or the account admins manage a key, never another account', async () => {
    const { keys, user, repos, account } = await setup();
    const { user: colleague } = await seedUser(repos, 'colleague@example.com', 'member', account);
    const { user: admin } = await seedUser(repos, 'admin@example.com', 'admin', account);
    const { user: foreignAdmin } = await seedUser(repos, 'admin@other.example', 'admin');
    const { record } = await keys.issue(user, { name: 'k' });
    expect(await keys.revoke(colleague, record.id)).toBe(false);
    expect(await keys.revoke(foreignAdmin, record.id)).toBe(false);
    expect(await keys.rotate(foreignAdmin, record.id)).toBeUndefined();
    await expect(keys.issue(foreignAdmin, { name: 'x', userId: user.id })).rejects.toMatchObject({ status: 404 });
    expect((await keys.list(foreignAdmin)).map((k) => k.id)).not.toContain(record.id);
    expect((await keys.list(colleague)).map((k) => k.id)).not.toContain(record.id);
    expect((await keys.list(admin)).map((k) => k.id)).toContain(record.id);
    expect(await keys.revoke(admin, record.id)).toBe(true);
  });

  it("never lets an admin rotate, revoke or issue a superuser's keys, even in the admin's own account", async () => {
    const { keys, repos, account } = await setup();
    const { user: root } = await seedUser(repos, 'root@example.com', 'superuser', account);
    const { user: admin } = await seedUser(repos, 'admin@example.com', 'admin', account);
    const { record } = await keys.issue(root, { name: 'root', scopes: ['*'] });
    expect(await keys.rotate(admin, record.id)).toBeUndefined();
    expect(await keys.revoke(admin, record.id)).toBe(false);
    await expect(keys.issue(admin, { name: 'x', userId: root.id })).rejects.toMatchObject({ status: 404 });
    expect(await keys.rotate(root, record.id)).toBeDefined();
    const own = await keys.issue(admin, { name: 'admin' });
    expect((await keys.list(admin)).map((k) => k.name)).toEqual(['admin']);
    expect((await keys.list(root)).map((k) => k.id)).toContain(own.record.id);
  });

  it("lists every account's keys for a superuser (SPEC §16), and only the own account's for an admin", async () => {
    const { keys, user, repos, account } = await setup();
    const { user: admin } = await seedUser(repos, 'admin@example.com', 'admin', account);
    const { user: root } = await seedUser(repos, 'root@other.example', 'superuser');
    const { user: foreign } = await seedUser(repos, 'member@third.example');
    const mine = await keys.issue(user, { name: 'mine' });
    const theirs = await keys.issue(foreign, { name: 'theirs' });
    const roots = await keys.issue(root, { name: 'root', scopes: ['*'] });
    const ids = async (actor: typeof user) => (await keys.list(actor)).map((k) => k.id).sort();
    expect(await ids(root)).toEqual([mine.record.id, theirs.record.id, roots.record.id].sort());
    expect(await ids(admin)).toEqual([mine.record.id]);
    // What a superuser lists, it may manage: revoking across accounts already worked.
    expect(await keys.revoke(root, theirs.record.id)).toBe(true);
    expect(await keys.list({ ...root, active: false })).toEqual([]);
  });
});
