import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { ApiKeyRecord } from '@smarter/auth';
import { isSmarterError, type JournalEvent } from '@smarter/security';
import { DataError } from '../core/data-error.ts';
import type { Database } from '../core/database.ts';
import { migrate, migrationsFor, schemaVersion } from '../core/migrate.ts';
import { agentHostResolver } from '../host/agent-host-resolver.ts';
import { databaseJournalSink } from '../journal/database-sink.ts';
import { isAccountNumber, randomAccountNumber } from '../repositories/accounts.ts';
import { agentHostname } from '../repositories/agents.ts';
import { createRepositories, type Repositories } from '../repositories/index.ts';
import { deleteExpiredSessions } from '../repositories/sessions.ts';
import { sqlStore } from '../store/sql-store.ts';
import { equal, ok, rejects } from './assert.ts';

/** What each contract check gets: the migrated database, repositories on a manual clock, and that clock. */
export interface ContractContext {
  readonly db: Database;
  readonly repos: Repositories;
  now(): number;
  advance(ms: number): void;
  /** A unique suffix for names and keys, so checks never collide. */
  unique(label: string): string;
}

/** One behaviour every driver must have. */
export interface ContractCheck {
  readonly name: string;
  run(ctx: ContractContext): Promise<void>;
}

/** The outcome of one check on one driver. */
export interface ContractResult {
  readonly name: string;
  readonly ok: boolean;
  readonly error?: string;
}

const TABLES = [
  'accounts',
  'users',
  'api_keys',
  'api_key_agents',
  'sessions',
  'oauth_links',
  'agents',
  'secrets',
  'journal',
  'uploads',
  'kv',
  'login_attempts',
];

async function seedUser(ctx: ContractContext) {
  const account = await ctx.repos.accounts.create({ number: randomAccountNumber(), name: ctx.unique('acct') });
  const user = await ctx.repos.users.create({
    accountId: account.id,
    email: `${ctx.unique('user')}@Example.COM`,
    role: 'member',
    active: true,
    emailVerified: false,
    passwordHash: '$scrypt$ln=17,r=8,p=1$c2FsdA$aGFzaA',
  });
  return { account, user };
}

function event(type: JournalEvent['type'], n: number, extra: Partial<JournalEvent> = {}): JournalEvent {
  return {
    id: crypto.randomUUID(),
    time: new Date(Date.UTC(2026, 0, 1) + n).toISOString(),
    type,
    severity: 'warning',
    path: `/p/${n}`,
    status: 403,
    ...extra,
  };
}

/** The contract, in order (the first check migrates). */
export const DATA_CONTRACT: readonly ContractCheck[] = [
  {
    name: 'migrate applies from empty, creates every table, and re-applies as a no-op',
    async run({ db }) {
      equal(await schemaVersion(db), undefined, 'schema version before migrate');
      await migrate(db);
      const version = await schemaVersion(db);
      await migrate(db);
      await migrate(db);
      equal(await schemaVersion(db), version, 'schema version after re-applying');
      equal(version, String(migrationsFor(db).length), 'one ledger row per migration');
      for (const table of TABLES) {
        const rows = await db.sql.rows(`SELECT count(*) AS n FROM ${table}`);
        equal(Number(rows[0]?.['n']), 0, `table ${table} exists and is empty`);
      }
    },
  },
  {
    name: 'driver errors become DataErrors with no SQL, parameter or driver message',
    async run({ db, repos }) {
      const error = await rejects(
        () => db.sql.rows('SELECT * FROM no_such_table WHERE secret = $1', ['hunter2']),
        'query on a missing table',
      );
      ok(error instanceof DataError && isSmarterError(error), 'a DataError');
      const text = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack ?? ''}`;
      ok(!/no_such_table|hunter2|SELECT/i.test(text), `nothing of the statement leaks: ${text.slice(0, 200)}`);
      ok((error as Error).cause === undefined, 'no driver error kept as cause');
      const number = randomAccountNumber();
      await repos.accounts.create({ number, name: 'first' });
      const conflict = await rejects(() => repos.accounts.create({ number, name: 'second' }), 'duplicate number');
      equal((conflict as DataError).code, 'DATA_CONFLICT', 'a unique violation is a conflict');
      equal((conflict as DataError).status, 409, 'conflict status');
      ok(!String((conflict as Error).message).includes(number), 'the conflicting value is not echoed');
    },
  },
  {
    name: 'statement lists are atomic: a failing statement leaves no trace of the others',
    async run({ db, repos }) {
      const taken = randomAccountNumber();
      await repos.accounts.create({ number: taken, name: 'taken' });
      const fresh = randomAccountNumber();
      const p = db.dialect === 'postgres' ? ['$1', '$2', '$3', '$4'] : ['?', '?', '?', '?'];
      const insert = `INSERT INTO accounts (id, number, name, created_at) VALUES (${p.join(', ')})`;
      await rejects(
        () =>
          db.sql.batch([
            { sql: insert, params: [crypto.randomUUID(), fresh, 'fresh', 1] },
            { sql: insert, params: [crypto.randomUUID(), taken, 'dup', 1] },
          ]),
        'batch with a conflicting statement',
      );
      equal(await repos.accounts.getByNumber(fresh), undefined, 'the first statement was rolled back');
    },
  },
  {
    name: 'accounts: random numbers, lookups by id and number',
    async run({ repos }) {
      const number = randomAccountNumber();
      ok(isAccountNumber(number), `account number format: ${number}`);
      ok(!isAccountNumber('1234-5678-901x'), 'rejects a malformed number');
      const account = await repos.accounts.create({ number, name: 'Acme' });
      equal(await repos.accounts.getById(account.id), account, 'by id');
      equal(await repos.accounts.getByNumber(number), account, 'by number');
      equal(await repos.accounts.getById('missing'), undefined, 'missing id');
    },
  },
  {
    name: 'users: lower-cased email, unique case-insensitively, patch updates',
    async run(ctx) {
      const { account, user } = await seedUser(ctx);
      ok(user.email === user.email.toLowerCase(), 'stored lower-cased');
      equal(await ctx.repos.users.getByEmail(user.email.toUpperCase()), user, 'found case-insensitively');
      const dup = await rejects(
        () =>
          ctx.repos.users.create({
            accountId: account.id,
            email: user.email.toUpperCase(),
            role: 'admin',
            active: true,
            emailVerified: true,
            passwordHash: null,
          }),
        'same email, other case',
      );
      equal((dup as DataError).code, 'DATA_CONFLICT', 'duplicate email is a conflict');
      const updated = await ctx.repos.users.update(user.id, { role: 'admin', active: false, lastLoginAt: 1234 });
      equal(updated, { ...user, role: 'admin', active: false, lastLoginAt: 1234 }, 'patched fields only');
      equal(await ctx.repos.users.update(user.id, {}), updated, 'an empty patch changes nothing');
      equal(await ctx.repos.users.update('missing', { active: true }), undefined, 'missing user');
      equal(await ctx.repos.users.listByAccount(account.id), [updated], 'listed by account');
      equal(await ctx.repos.users.getByEmail('nobody@example.com'), undefined, 'unknown email');
    },
  },
  {
    name: 'api keys: bindings, lookups, compare-and-swap revoke and last-used',
    async run(ctx) {
      const { account, user } = await seedUser(ctx);
      const now = ctx.now();
      const key: ApiKeyRecord = {
        id: ctx.unique('key'),
        accountId: account.id,
        userId: user.id,
        name: 'ci',
        description: 'deploys',
        hash: 'aGFzaA',
        pepperId: 'k1',
        lastFour: 'abcd',
        scopes: ['agents:read', 'chat'],
        agentIds: ['agent-b', 'agent-a'],
        createdAt: now,
        expiresAt: now + 86_400_000,
        lastUsedAt: null,
        active: true,
        revokedAt: null,
      };
      const unbound: ApiKeyRecord = { ...key, id: ctx.unique('key2'), agentIds: [], scopes: [], createdAt: now + 1 };
      await ctx.repos.keys.create(key);
      await ctx.repos.keys.create(unbound);
      equal(await ctx.repos.keys.getById(key.id), { ...key, agentIds: ['agent-a', 'agent-b'] }, 'key with bindings');
      equal(await ctx.repos.keys.getById(unbound.id), unbound, 'key without bindings');
      equal(await ctx.repos.keys.getById('missing'), undefined, 'missing key');
      equal(
        await ctx.repos.keys.getWithOwner(key.id),
        { key: { ...key, agentIds: ['agent-a', 'agent-b'] }, owner: user },
        'key with bindings and its owner in one read',
      );
      equal(await ctx.repos.keys.getWithOwner(unbound.id), { key: unbound, owner: user }, 'unbound key and owner');
      equal(await ctx.repos.keys.getWithOwner('missing'), undefined, 'missing key with owner');
      equal(
        (await ctx.repos.keys.listByUser(user.id)).map((k) => k.id),
        [key.id, unbound.id],
        'listed by user, oldest first',
      );
      const other = await seedUser(ctx);
      const foreign: ApiKeyRecord = {
        ...unbound,
        id: ctx.unique('key3'),
        accountId: other.account.id,
        userId: other.user.id,
        createdAt: now + 2,
      };
      await ctx.repos.keys.create(foreign);
      equal((await ctx.repos.keys.listByAccount(account.id)).length, 2, 'listed by account');
      const mine = new Set([key.id, unbound.id, foreign.id]);
      const all = (await ctx.repos.keys.listAll()).filter((k) => mine.has(k.id));
      equal(
        all,
        [{ ...key, agentIds: ['agent-a', 'agent-b'] }, unbound, foreign],
        'every account listed, with bindings, oldest first',
      );
      await rejects(() => ctx.repos.keys.create(key), 'duplicate key id');
      equal(await ctx.repos.keys.touchLastUsed(key.id, now + 10, now), true, 'first use is written');
      equal(await ctx.repos.keys.touchLastUsed(key.id, now + 20, now + 5), false, 'recent use is not rewritten');
      equal(await ctx.repos.keys.touchLastUsed(key.id, now + 400_000, now + 100_000), true, 'old use is rewritten');
      const racers = await Promise.all(
        Array.from({ length: 5 }, () => ctx.repos.keys.touchLastUsed(key.id, now + 900_000, now + 800_000)),
      );
      equal(racers.filter(Boolean).length, 1, 'concurrent touches: exactly one writes');
      await ctx.repos.keys.setExpiry(key.id, now + 60_000);
      equal(await ctx.repos.keys.revoke(key.id, now + 1000), true, 'revoke an active key');
      equal(await ctx.repos.keys.revoke(key.id, now + 2000), false, 'revoking twice is a no-op');
      const revoked = await ctx.repos.keys.getById(key.id);
      equal(
        revoked,
        {
          ...key,
          agentIds: ['agent-a', 'agent-b'],
          expiresAt: now + 60_000,
          lastUsedAt: now + 900_000,
          active: false,
          revokedAt: now + 1000,
        },
        'revoked key',
      );
    },
  },
  {
    name: 'sessions: create, touch, delete, and end all of a user but one',
    async run(ctx) {
      const { account, user } = await seedUser(ctx);
      const base = { userId: user.id, accountId: account.id, createdAt: 1, lastSeenAt: 1, expiresAt: 10 };
      const ids = [ctx.unique('s1'), ctx.unique('s2'), ctx.unique('s3')];
      for (const idHash of ids) await ctx.repos.sessions.create({ ...base, idHash });
      await ctx.repos.sessions.touch(ids[0]!, 5);
      equal(await ctx.repos.sessions.get(ids[0]!), { ...base, idHash: ids[0], lastSeenAt: 5 }, 'touched');
      await ctx.repos.sessions.delete(ids[1]!);
      equal(await ctx.repos.sessions.get(ids[1]!), undefined, 'deleted');
      equal(await ctx.repos.sessions.deleteByUser(user.id, ids[2]), 1, 'all but the current one');
      equal(await ctx.repos.sessions.get(ids[0]!), undefined, 'the other session ended');
      ok((await ctx.repos.sessions.get(ids[2]!)) !== undefined, 'the current session stays');
      equal(await ctx.repos.sessions.deleteByUser(user.id), 1, 'then every session');
      await ctx.repos.sessions.create({ ...base, idHash: ids[0]!, expiresAt: 100 });
      await ctx.repos.sessions.create({ ...base, idHash: ids[1]!, expiresAt: 200 });
      equal(await deleteExpiredSessions(ctx.db, 100), 1, 'expired sessions purged');
      equal(await ctx.repos.sessions.get(ids[0]!), undefined, 'the expired one is gone');
      ok((await ctx.repos.sessions.get(ids[1]!)) !== undefined, 'the live one stays');
    },
  },
  {
    name: 'oauth links: one per provider account and one per provider for a user, listed, deleted',
    async run(ctx) {
      const { user } = await seedUser(ctx);
      const { user: other } = await seedUser(ctx);
      const [a, b] = [ctx.unique('sub-a'), ctx.unique('sub-b')];
      const link = await ctx.repos.oauthLinks.create({ provider: 'google', subject: a, userId: user.id });
      equal(link, { provider: 'google', subject: a, userId: user.id, createdAt: ctx.now() }, 'created on the clock');
      equal(await ctx.repos.oauthLinks.get('google', a), link, 'by provider and subject');
      equal(await ctx.repos.oauthLinks.get('github', a), undefined, 'the subject of another provider');
      const taken = await rejects(
        () => ctx.repos.oauthLinks.create({ provider: 'google', subject: a, userId: other.id }),
        'a provider account linked twice',
      );
      equal((taken as DataError).code, 'DATA_CONFLICT', 'a provider account links one user');
      const second = await rejects(
        () => ctx.repos.oauthLinks.create({ provider: 'google', subject: b, userId: user.id }),
        'a second account of the same provider',
      );
      equal((second as DataError).code, 'DATA_CONFLICT', 'a user links one account per provider');
      ctx.advance(1);
      const github = await ctx.repos.oauthLinks.create({ provider: 'github', subject: a, userId: user.id });
      equal(await ctx.repos.oauthLinks.listByUser(user.id), [link, github], 'listed by user, oldest first');
      equal(await ctx.repos.oauthLinks.listByUser(other.id), [], 'no links of another user');
      equal(await ctx.repos.oauthLinks.delete('google', a), true, 'deleted');
      equal(await ctx.repos.oauthLinks.delete('google', a), false, 'deleting twice');
      equal(await ctx.repos.oauthLinks.get('google', a), undefined, 'gone');
      equal(
        (await ctx.repos.oauthLinks.create({ provider: 'google', subject: b, userId: user.id })).subject,
        b,
        'a user may link another account once the old link is gone',
      );
    },
  },
  {
    name: 'agents: hostnames, custom domains with compare-and-swap verification, patches',
    async run(ctx) {
      const { account } = await seedUser(ctx);
      const name = `bot-${Math.floor(Math.random() * 1e9)}`;
      const hostname = agentHostname(name, account.number, 'agents.example.com');
      equal(hostname, `${name}.${account.number}.agents.example.com`, 'hostname shape');
      const agent = await ctx.repos.agents.create({ accountId: account.id, name, hostname, model: 'm1' });
      equal(agent.deployed, false, 'created undeployed');
      equal(agent.requireKey, true, 'created needing a key for chat (public only on purpose)');
      equal(await ctx.repos.agents.getByName(account.id, name), agent, 'by name');
      equal(await ctx.repos.agents.getByHost(hostname), agent, 'by hostname');
      const dup = await rejects(() => ctx.repos.agents.create({ accountId: account.id, name, hostname }), 'same name');
      equal((dup as DataError).code, 'DATA_CONFLICT', 'name taken');
      ctx.advance(10);
      const patched = await ctx.repos.agents.update(agent.id, { allowedOrigins: ['https://app.example.com'] });
      equal(patched?.allowedOrigins, ['https://app.example.com'], 'origins patched');
      equal(patched?.updatedAt, agent.updatedAt + 10, 'updatedAt from the clock');
      const domain = `${name}.customer.example`;
      const pending = await ctx.repos.agents.setCustomDomain(agent.id, domain.toUpperCase(), 'token-1');
      equal([pending?.customDomain, pending?.domainStatus], [domain, 'pending'], 'domain pending');
      equal(await ctx.repos.agents.markDomainVerified(agent.id, 'other.example'), false, 'other domain: no swap');
      equal(await ctx.repos.agents.markDomainVerified(agent.id, domain), true, 'verified');
      equal(await ctx.repos.agents.markDomainVerified(agent.id, domain), false, 'verifying twice: no swap');
      equal((await ctx.repos.agents.getByHost(domain))?.domainStatus, 'verified', 'by custom domain');
      equal((await ctx.repos.agents.listByAccount(account.id)).length, 1, 'listed by account');
      ok(
        (() => {
          try {
            agentHostname('evil.name', account.number, 'agents.example.com');
            return false;
          } catch {
            return true;
          }
        })(),
        'a name that is not a DNS label cannot make a hostname',
      );
      equal(await ctx.repos.agents.delete(agent.id), true, 'deleted');
      equal(await ctx.repos.agents.delete(agent.id), false, 'deleting twice');
      equal(await ctx.repos.agents.getByHost(hostname), undefined, 'gone');
    },
  },
  {
    name: 'host and origin resolver: deployed hosts only, pending domains flagged, cache invalidation',
    async run(ctx) {
      const { account } = await seedUser(ctx);
      const name = `res-${Math.floor(Math.random() * 1e9)}`;
      const hostname = agentHostname(name, account.number, 'agents.example.com');
      const agent = await ctx.repos.agents.create({
        accountId: account.id,
        name,
        hostname,
        allowedOrigins: ['https://App.Example.com'],
      });
      const resolver = agentHostResolver(ctx.db, { ttlMs: 1000, now: ctx.now });
      equal(await resolver.resolve(hostname), undefined, 'undeployed: rejected');
      await ctx.repos.agents.update(agent.id, { deployed: true });
      equal(await resolver.resolve(hostname), undefined, 'still cached as unknown');
      resolver.invalidate(hostname);
      const resolution = await resolver.resolve(hostname.toUpperCase());
      equal(
        resolution,
        { kind: 'agent', agentId: agent.id, agentName: name, accountId: account.id, pendingVerification: false },
        'deployed: resolved',
      );
      equal(await resolver.originsFor(resolution!), ['https://app.example.com'], 'its origins, lower-cased');
      const domain = `${name}.shop.example`;
      await ctx.repos.agents.setCustomDomain(agent.id, domain, 'tok');
      equal((await resolver.resolve(domain))?.pendingVerification, true, 'pending custom domain is flagged');
      await ctx.repos.agents.markDomainVerified(agent.id, domain);
      equal((await resolver.resolve(domain))?.pendingVerification, true, 'cached until the TTL');
      ctx.advance(1001);
      equal((await resolver.resolve(domain))?.pendingVerification, false, 'verified after the TTL');
      equal(await resolver.resolve(`x.${hostname}`), undefined, 'a sub-domain is not the agent');
      equal(await resolver.resolve('unknown.example'), undefined, 'unknown host');
      await ctx.repos.agents.update(agent.id, { deployed: false });
      resolver.invalidate();
      equal(await resolver.resolve(hostname), undefined, 'undeployed again: rejected');
      equal(await resolver.originsFor(resolution!), [], 'an undeployed agent trusts no origin');
    },
  },
  {
    name: 'secrets: ciphertext only, compare-and-swap rotation, expiry',
    async run(ctx) {
      const { account, user } = await seedUser(ctx);
      const input = { accountId: account.id, ownerId: user.id, keyId: 'k1', expiresAt: ctx.now() + 100 };
      const secret = await ctx.repos.secrets.create({ ...input, name: 'openai', ciphertext: 'Y2lwaGVy' });
      const other = await ctx.repos.secrets.create({ ...input, name: 'other', ciphertext: 'b3RoZXI', expiresAt: null });
      equal(await ctx.repos.secrets.getByName(account.id, 'openai'), secret, 'by name');
      await ctx.repos.secrets.markAccessed(secret.id, 77);
      equal((await ctx.repos.secrets.getById(secret.id))?.lastAccessedAt, 77, 'access recorded');
      equal(await ctx.repos.secrets.replaceCiphertext(secret.id, 'bmV3', 'k2', 'k0'), false, 'wrong key: no swap');
      equal(await ctx.repos.secrets.replaceCiphertext(secret.id, 'bmV3', 'k2', 'k1'), true, 'rotated');
      const rotated = await ctx.repos.secrets.getById(secret.id);
      equal([rotated?.ciphertext, rotated?.keyId], ['bmV3', 'k2'], 'new ciphertext and key');
      await rejects(() => ctx.repos.secrets.create({ ...input, name: 'openai', ciphertext: 'x' }), 'same name');
      equal((await ctx.repos.secrets.listByAccount(account.id)).length, 2, 'listed');
      equal(await ctx.repos.secrets.deleteExpired(ctx.now() + 100), 1, 'the expired one goes');
      equal(await ctx.repos.secrets.getById(secret.id), undefined, 'expired secret gone');
      equal(await ctx.repos.secrets.delete(other.id), true, 'deleted');
    },
  },
  {
    name: 'uploads: metadata by id, stored name, owner and agent',
    async run(ctx) {
      const { account, user } = await seedUser(ctx);
      const upload = await ctx.repos.uploads.create({
        accountId: account.id,
        ownerId: user.id,
        agentId: 'agent-1',
        storedName: ctx.unique('stored'),
        originalName: 'report.pdf',
        contentType: 'application/pdf',
        size: 3_000_000_000,
        sha256: 'ab'.repeat(32),
      });
      equal(await ctx.repos.uploads.getById(upload.id), upload, 'by id');
      equal(await ctx.repos.uploads.getByStoredName(upload.storedName), upload, 'by stored name');
      equal(await ctx.repos.uploads.listByOwner(user.id), [upload], 'by owner');
      equal(await ctx.repos.uploads.listByAgent('agent-1'), [upload], 'by agent');
      await rejects(() => ctx.repos.uploads.create({ ...upload }), 'duplicate stored name');
      equal(await ctx.repos.uploads.delete(upload.id), true, 'deleted');
      equal(await ctx.repos.uploads.getById(upload.id), undefined, 'gone');
    },
  },
  {
    name: 'login attempts: failures per account and per client, cleared by a success',
    async run(ctx) {
      const email = `${ctx.unique('login')}@example.com`;
      const clientKey = ctx.unique('203.0.113.7');
      const at = 1_000_000;
      for (let i = 0; i < 3; i += 1) {
        await ctx.repos.loginAttempts.record({ email: email.toUpperCase(), clientKey, succeeded: false, at: at + i });
      }
      equal(await ctx.repos.loginAttempts.countFailures({ email }, at), 3, 'per account');
      equal(await ctx.repos.loginAttempts.countFailures({ clientKey }, at + 1), 2, 'per client, since');
      await ctx.repos.loginAttempts.record({ email, clientKey, succeeded: true, at: at + 10 });
      await ctx.repos.loginAttempts.record({ email, clientKey, succeeded: false, at: at + 11 });
      equal(await ctx.repos.loginAttempts.countFailures({ email }, at), 1, 'a success clears earlier failures');
      ok((await ctx.repos.loginAttempts.prune(at + 5)) >= 3, 'pruned');
      equal(await ctx.repos.loginAttempts.countFailures({ clientKey }, 0), 1, 'what stays');
    },
  },
  {
    name: 'SQL store: atomic windows, TTLs and set-if-absent on the injected clock',
    async run(ctx) {
      const store = sqlStore(ctx.db, { now: ctx.now, prefix: ctx.unique('store') });
      const first = await store.increment('c', 1000);
      equal([first.count, first.resetAt], [1, ctx.now() + 1000], 'a window starts at 1');
      ctx.advance(999);
      equal((await store.increment('c', 1000)).count, 2, 'within the window');
      ctx.advance(1);
      equal((await store.increment('c', 1000)).count, 1, 'a new window at its end');
      const counts = await Promise.all(Array.from({ length: 20 }, () => store.increment('a', 60_000)));
      equal(
        counts.map((c) => c.count).sort((a, b) => a - b),
        Array.from({ length: 20 }, (_, i) => i + 1),
        'concurrent increments are atomic',
      );
      await store.set('k', 'v', 500);
      equal(await store.get('k'), 'v', 'set/get');
      ctx.advance(500);
      equal(await store.get('k'), undefined, 'expired at its TTL');
      const wins = await Promise.all(Array.from({ length: 10 }, (_, i) => store.setIfAbsent('once', `${i}`, 100)));
      equal(wins.filter(Boolean).length, 1, 'one set-if-absent winner');
      ctx.advance(100);
      equal(await store.setIfAbsent('once', 'again', 100), true, 'set-if-absent after expiry');
      await store.delete('once');
      equal(await store.get('once'), undefined, 'deleted');
      ok((await store.purgeExpired()) >= 1, 'expired rows purged');
    },
  },
  {
    name: 'journal: hash-chained appends, grouped and concurrent writers, tampering detected',
    async run(ctx) {
      const sink = databaseJournalSink(ctx.db);
      const other = databaseJournalSink(ctx.db);
      await sink.write(event('path.sensitive', 0, { details: { password: 'hunter2', note: 'kept' } }));
      await sink.writeMany(Array.from({ length: 12 }, (_, i) => event('scanner.notfound', i + 1)));
      // Two sinks on one table act like two instances: sequence conflicts are retried and re-chained.
      await Promise.all([
        ...Array.from({ length: 10 }, (_, i) => sink.write(event('csrf.rejected', 100 + i))),
        ...Array.from({ length: 10 }, (_, i) => other.write(event('cors.rejected', 200 + i))),
      ]);
      const report = await sink.verify();
      ok(report.ok, `the chain verifies: ${JSON.stringify(report)}`);
      equal(report.rows, 33, 'every event stored once');
      const rows = await sink.list({ limit: 1000 });
      equal(
        rows.map((r) => r.seq),
        Array.from({ length: 33 }, (_, i) => i + 1),
        'contiguous sequence',
      );
      equal(rows[0]?.details, '{"password":"***","note":"kept"}', 'details redacted again by the sink');
      equal((await sink.list({ type: 'scanner.notfound', afterSeq: 5, limit: 3 })).length, 3, 'filtered tail');
      await sink.write(event('auth.failed', 400, { account: 'acct-a' }));
      await sink.write(event('auth.failed', 401, { account: 'acct-b' }));
      equal(
        (await sink.list({ account: 'acct-a', limit: 100 })).map((r) => r.account),
        ['acct-a'],
        "an account's rows only",
      );
      await sink.write(event('auth.failed', 402, { principal: 'user-7', time: '2026-01-01T01:00:00+01:00' }));
      equal(
        (await sink.list({ principal: 'user-7' })).map((r) => r.time),
        ['2026-01-01T00:00:00.000Z'],
        "a principal's rows only, the time stored in UTC",
      );
      equal(
        (await sink.list({ since: '2026-01-01T00:00:00.100Z', until: '2026-01-01T00:00:00.101Z' })).map((r) => r.path),
        ['/p/100', '/p/101'],
        'a time window, both ends included',
      );
      equal(
        (await sink.list({ type: 'csrf.rejected', beforeSeq: rows[20]?.seq ?? 0, newestFirst: true, limit: 2 })).map(
          (r) => r.seq,
        ),
        rows
          .filter((r) => r.type === 'csrf.rejected' && r.seq < (rows[20]?.seq ?? 0))
          .map((r) => r.seq)
          .reverse()
          .slice(0, 2),
        'newest first, before a sequence number',
      );
      const p = ctx.db.dialect === 'postgres' ? '$1' : '?';
      const edit = { sql: `UPDATE journal SET reason = 'EDITED' WHERE seq = ${p}`, params: [7] };
      const refused = await rejects(() => ctx.db.sql.batch([edit]), 'an UPDATE of the journal');
      ok(refused instanceof DataError, 'the append-only trigger refuses edits');
      equal((await sink.verify()).ok, true, 'nothing was edited');
      // Someone with the power to drop the trigger can edit a row; the chain then shows it.
      await ctx.db.sql.exec(
        ctx.db.dialect === 'postgres'
          ? 'DROP TRIGGER journal_append_only ON journal'
          : 'DROP TRIGGER journal_append_only',
      );
      await ctx.db.sql.batch([edit]);
      const tampered = await sink.verify();
      equal(tampered, { ok: false, rows: 6, brokenAt: 7, reason: 'HASH_MISMATCH' }, 'an edited row is found');
      // Keyed links (HMAC under the app's key) and recorded prunes hold on every driver.
      await ctx.db.sql.exec('DELETE FROM journal');
      const key = new Uint8Array(32).fill(3);
      const keyed = databaseJournalSink(ctx.db, {
        chainKeys: { currentId: 'k1', mac: (id, message) => (id === 'k1' ? hmac(sha256, key, message) : undefined) },
      });
      await keyed.writeMany(Array.from({ length: 6 }, (_, i) => event('auth.failed', 300 + i)));
      equal(
        await keyed.verify(),
        { ok: true, rows: 6, lastSeq: 6, lastHash: (await keyed.list()).at(-1)?.hash, unkeyedRows: 0 },
        'keyed',
      );
      equal((await databaseJournalSink(ctx.db).verify()).ok, false, 'keyed links do not verify without the key');
      equal(await keyed.prune(event('auth.failed', 303).time), 3, 'pruned the three oldest');
      const pruned = await keyed.verify();
      equal([pruned.ok, pruned.rows], [true, 4], 'verifies after a prune it recorded');
      const first = (await keyed.list({ limit: 1 }))[0]?.seq ?? 0;
      await ctx.db.sql.batch([{ sql: `DELETE FROM journal WHERE seq = ${p}`, params: [first] }]);
      equal(await keyed.verify(), { ok: false, rows: 3, brokenAt: first + 1, reason: 'HEAD_MISSING' }, 'head cut');
    },
  },
  {
    name: "journal: an account's and a principal's trail are read through an index, which may be built ahead",
    async run(ctx) {
      const trails = [
        ['account', 'journal_account_seq_idx'],
        ['principal', 'journal_principal_seq_idx'],
      ] as const;
      for (const [column, index] of trails) {
        if (ctx.db.dialect === 'postgres') {
          // The planner picks a scan on a table this small whatever the indexes: check the index is there and ordered.
          const rows = await ctx.db.sql.rows(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'journal' AND indexname = $1",
            [index],
          );
          ok(String(rows[0]?.['indexdef'] ?? '').includes(`(${column}, seq)`), `${index} on (${column}, seq)`);
        } else {
          // What the admin API asks (databaseJournalSink.list): one column's rows, newest first, a page at a time.
          const plan = await ctx.db.sql.rows(
            `EXPLAIN QUERY PLAN SELECT * FROM journal WHERE seq > $1 AND ${column} = $2 ORDER BY seq DESC LIMIT 100`,
            [0, 'x'],
          );
          const details = plan.map((row) => String(row['detail'])).join(' | ');
          ok(details.includes(index), `${column} filter uses ${index}: ${details}`);
          ok(!details.includes('TEMP B-TREE'), `${column} rows come in sequence order without a sort: ${details}`);
        }
      }
      // On a large journal the operator builds the index first without blocking writes (CONCURRENTLY on PostgreSQL),
      // then upgrades: the migration finds it and is recorded. Simulated by forgetting that 0004 ran.
      const tag = '0004_journal_principal_index';
      const p = ctx.db.dialect === 'postgres' ? '$1' : '?';
      await ctx.db.sql.batch([{ sql: `DELETE FROM smarter_migrations WHERE tag = ${p}`, params: [tag] }]);
      await migrate(ctx.db);
      const ledger = await ctx.db.sql.rows(`SELECT tag FROM smarter_migrations WHERE tag = $1`, [tag]);
      equal(ledger.length, 1, 'the migration found the index already there and was recorded');
    },
  },
];

/** Options of {@link runDataContract}. */
export interface RunDataContractOptions {
  /** Only checks whose name includes this text. */
  readonly only?: string;
}

/** Builds the context for a migrated-or-empty database (the first check migrates it). */
export function contractContext(db: Database): ContractContext {
  let t = Date.UTC(2026, 0, 1);
  let n = 0;
  const run = Math.random().toString(36).slice(2, 8);
  const now = () => t;
  return {
    db,
    repos: createRepositories(db, { now }),
    now,
    advance: (ms) => {
      t += ms;
    },
    unique: (label) => {
      n += 1;
      return `${label}-${run}-${n}`;
    },
  };
}

/**
 * Runs the whole contract against a fresh, empty database and reports every check; never throws. Used by the
 * spawned Bun and Deno runners and the D1 worker; vitest registers the same checks one by one.
 *
 * @example
 * const results = await runDataContract(fromNodeSqlite(new DatabaseSync(':memory:')));
 */
export async function runDataContract(db: Database, options: RunDataContractOptions = {}): Promise<ContractResult[]> {
  const ctx = contractContext(db);
  const results: ContractResult[] = [];
  for (const check of DATA_CONTRACT) {
    if (options.only !== undefined && !check.name.includes(options.only) && results.length > 0) continue;
    try {
      await check.run(ctx);
      results.push({ name: check.name, ok: true });
    } catch (error) {
      results.push({ name: check.name, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}
