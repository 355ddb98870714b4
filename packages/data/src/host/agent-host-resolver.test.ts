import { SmarterConfigError } from '@smarter/security';
import { fakeClock } from '@smarter/security/testing';
import { describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../better-sqlite3/index.ts';
import { migrate } from '../core/migrate.ts';
import { randomAccountNumber } from '../repositories/accounts.ts';
import { agentHostname } from '../repositories/agents.ts';
import { createRepositories } from '../repositories/index.ts';
import { agentHostResolver, resolveAgentHostResolverOptions } from './agent-host-resolver.ts';

describe('resolveAgentHostResolverOptions', () => {
  it('fills defaults and keeps what is given', () => {
    const now = () => 1;
    expect(resolveAgentHostResolverOptions()).toMatchObject({ ttlMs: 5000, maxEntries: 10_000 });
    expect(resolveAgentHostResolverOptions({ ttlMs: 0, maxEntries: 5, now })).toEqual({ ttlMs: 0, maxEntries: 5, now });
  });

  it.each([
    [{ ttl: 5000 }, /Unknown option "ttl": use ttlMs/],
    [{ ttlMs: -1 }, /ttlMs must be an integer from 0 to 300000/],
    [{ ttlMs: 3_600_000 }, /ttlMs must be/],
    [{ maxEntries: 0 }, /maxEntries must be an integer from 1/],
  ])('refuses %j with a message that says what to write', (options, message) => {
    expect(() => resolveAgentHostResolverOptions(options as never)).toThrow(SmarterConfigError);
    expect(() => resolveAgentHostResolverOptions(options as never)).toThrow(message);
  });
});

describe('agentHostResolver', () => {
  it('keeps at most maxEntries hosts and fails closed when the database is gone', async () => {
    const db = openBetterSqlite(':memory:');
    await migrate(db);
    const repos = createRepositories(db);
    const account = await repos.accounts.create({ number: randomAccountNumber(), name: 'a' });
    const hosts = ['a', 'b', 'c'].map((name) => agentHostname(name, account.number, 'example.com'));
    for (const [i, hostname] of hosts.entries()) {
      await repos.agents.create({ accountId: account.id, name: ['a', 'b', 'c'][i]!, hostname, deployed: true });
    }
    const clock = fakeClock();
    const resolver = agentHostResolver(db, { maxEntries: 2, now: clock.now });
    for (const host of hosts) expect(await resolver.resolve(host)).toBeDefined();
    await db.close();
    // The two most recent answers are still cached; the evicted one needs the (closed) database.
    expect(await resolver.resolve(hosts[2]!)).toBeDefined();
    expect(await resolver.resolve(hosts[1]!)).toBeDefined();
    await expect(resolver.resolve(hosts[0]!)).rejects.toMatchObject({ code: expect.stringMatching(/^DATA_/) });
    clock.advance(5001);
    await expect(resolver.resolve(hosts[2]!)).rejects.toMatchObject({ code: expect.stringMatching(/^DATA_/) });
  });
});
