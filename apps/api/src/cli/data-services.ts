import {
  createAccountService,
  createApiKeyService,
  createPasswordHasher,
  createSecretBox,
  defaultPasswordValidators,
  type OAuthLinkRecord,
} from '@smarter/auth';
import { scryptEngine } from '@smarter/auth/password-node';
import {
  type AgentRecord,
  agentHostname,
  createRepositories,
  type Database,
  databaseJournalSink,
  sqlStore,
} from '@smarter/data';
import { createJournal, type JournalSink, Secret, SmarterError } from '@smarter/security';
import type { AppConfig } from '../config/config.ts';
import { appKeyRing } from '../config/secret-keys.ts';
import { journalChainKeys } from '../journal-chain.ts';
import { DEFAULT_KEY_SCOPES } from '../platform/keys.ts';
import type { CliServices } from './io.ts';
import { manifestServices } from './manifest-services.ts';

/**
 * The CLI services over a migrated database with `@smarter/data` repositories and `@smarter/auth` services:
 * `createsuperuser`, `keys create|list|revoke`, `agents create|list|deploy` and `journal tail|verify`. Every change is journaled in the database.
 *
 * @example
 * const data = dataServices(config, db);
 * const code = await runCli(argv, io, { config: () => config, ...data });
 * await data.flush();
 */
export function dataServices(
  config: AppConfig,
  db: Database,
  options: { readonly owner?: string | undefined } = {},
): Required<Pick<CliServices, 'users' | 'keys' | 'journal' | 'agents' | 'manifests' | 'oauthLinks'>> & {
  flush(): Promise<void>;
} {
  const repositories = createRepositories(db);
  const keyRing = appKeyRing(config);
  const sink = databaseJournalSink(db, { chainKeys: journalChainKeys(keyRing) });
  // Journal writes run off the command path; the CLI waits for them before closing the database.
  const pending = new Set<Promise<unknown>>();
  const tracked: JournalSink = {
    write(event) {
      const written = sink.write(event);
      pending.add(written);
      void written.finally(() => pending.delete(written)).catch(() => {});
      return written;
    },
  };
  const journal = createJournal({ sinks: [tracked] });
  const accounts = createAccountService({
    repositories,
    hasher: createPasswordHasher({ engine: scryptEngine() }),
    validators: defaultPasswordValidators(),
    journal,
  });
  const keys = createApiKeyService({ repositories, store: sqlStore(db, { prefix: 'smarter:' }), keyRing, journal });
  const listed = (a: AgentRecord) => ({
    name: a.name,
    hostname: a.hostname,
    deployed: a.deployed,
    provider: a.provider,
    model: a.model,
  });
  const linkView = (l: OAuthLinkRecord, user: string) => ({
    provider: l.provider,
    subject: l.subject,
    user,
    createdAt: new Date(l.createdAt).toISOString(),
  });
  const userByEmail = async (email: string) => {
    const user = await repositories.users.getByEmail(email);
    if (!user) throw new SmarterError('USER_NOT_FOUND', 'No user with this email', { status: 404 });
    return user;
  };

  const manifests = manifestServices({
    config,
    repositories,
    accounts,
    keys,
    secrets: createSecretBox(keyRing),
    keyId: keyRing.ids[0] ?? 'default',
    journal,
    owner: options.owner,
  });

  return {
    manifests,
    async flush() {
      await Promise.allSettled([...pending]);
    },
    users: {
      async createSuperuser(email, password) {
        if (await repositories.users.getByEmail(email)) {
          throw new SmarterError('USER_EXISTS', 'A user with this email already exists', { status: 409 });
        }
        // The email stays unverified: nothing here proved the address, and OAuth trusts only verified ones (SPEC §15).
        const account = await accounts.createAccount('system', 'Default');
        const user = await accounts.createUser('system', {
          accountId: account.id,
          email,
          password: password.reveal(),
          role: 'superuser',
          active: true,
        });
        return { id: user.id };
      },
    },
    oauthLinks: {
      async list(email) {
        const user = await userByEmail(email);
        return (await repositories.oauthLinks.listByUser(user.id)).map((l) => linkView(l, user.email));
      },
      async link({ user: email, provider, subject }) {
        const user = await userByEmail(email);
        const created = await repositories.oauthLinks.create({ provider, subject, userId: user.id });
        journal.emit({
          type: 'oauth.linked',
          severity: 'notice',
          principal: 'cli',
          account: user.accountId,
          details: { provider, user: user.id, by: 'operator' },
        });
        return linkView(created, user.email);
      },
      async unlink(provider, subject) {
        const link = await repositories.oauthLinks.get(provider, subject);
        if (!link || !(await repositories.oauthLinks.delete(provider, subject))) return false;
        const user = await repositories.users.getById(link.userId);
        journal.emit({
          type: 'oauth.linked',
          severity: 'notice',
          principal: 'cli',
          ...(user ? { account: user.accountId } : {}),
          reason: 'UNLINKED',
          details: { provider, user: link.userId, by: 'operator' },
        });
        return true;
      },
    },
    keys: {
      async create(input) {
        const user = await userByEmail(input.user);
        const agentIds: string[] = [];
        for (const name of input.agents) {
          const agent = await repositories.agents.getByName(user.accountId, name);
          if (!agent)
            throw new SmarterError('AGENT_NOT_FOUND', 'No agent with this name in the account', { status: 404 });
          agentIds.push(agent.id);
        }
        const issued = await keys.issue(user, {
          name: input.name,
          // No --scopes: the same everyday scopes as the API's default (an empty list would allow nothing).
          scopes: input.scopes.length > 0 ? input.scopes : DEFAULT_KEY_SCOPES,
          agentIds,
          expiresInMs: input.expiresInMs,
        });
        return {
          id: issued.record.id,
          key: new Secret(issued.token),
          name: issued.record.name,
          scopes: issued.record.scopes,
          expiresAt: new Date(issued.record.expiresAt).toISOString(),
        };
      },
      async list(email) {
        if (!email)
          throw new SmarterError('USER_REQUIRED', 'Pass --user E to choose whose keys to list', { status: 400 });
        const user = await userByEmail(email);
        // Whose keys: a superuser's list() holds every account's keys, which are not theirs to be labelled with.
        const own = (await keys.list(user)).filter((k) => k.userId === user.id);
        return own.map((k) => ({
          id: k.id,
          name: k.name,
          user: user.email,
          lastFour: k.lastFour,
          scopes: k.scopes,
          expiresAt: new Date(k.expiresAt).toISOString(),
          active: k.active,
        }));
      },
      async revoke(id) {
        const key = await repositories.keys.getById(id);
        const owner = key ? await repositories.users.getById(key.userId) : undefined;
        return owner ? keys.revoke(owner, id) : false;
      },
    },
    agents: {
      async create(input) {
        const user = await userByEmail(input.user);
        if (user.role === 'member') throw new SmarterError('FORBIDDEN', 'Only admins create agents', { status: 403 });
        const account = await repositories.accounts.getById(user.accountId);
        if (!account) throw new SmarterError('ACCOUNT_NOT_FOUND', 'The account is missing', { status: 404 });
        if (await repositories.agents.getByName(account.id, input.name)) {
          throw new SmarterError('AGENT_EXISTS', 'An agent with this name already exists', { status: 409 });
        }
        const agent = await repositories.agents.create({
          accountId: account.id,
          name: input.name,
          // Without SMARTER_API_DOMAIN, agents live under .localhost, which browsers and curl resolve to loopback.
          hostname: agentHostname(input.name, account.number, config.apiDomain ?? 'localhost'),
          provider: input.provider,
          model: input.model ?? (input.provider === 'echo' ? 'echo-1' : (config.provider.model ?? 'gpt-4o-mini')),
          deployed: input.deployed,
        });
        journal.emit({
          type: 'agent.created',
          severity: 'notice',
          principal: user.id,
          account: account.id,
          agent: agent.id,
        });
        return listed(agent);
      },
      async list(email) {
        const user = await userByEmail(email);
        return (await repositories.agents.listByAccount(user.accountId)).map(listed);
      },
      async deploy(email, name, deployed) {
        const user = await userByEmail(email);
        if (user.role === 'member') throw new SmarterError('FORBIDDEN', 'Only admins deploy agents', { status: 403 });
        const agent = await repositories.agents.getByName(user.accountId, name);
        if (!agent) return undefined;
        const updated = await repositories.agents.update(agent.id, { deployed });
        if (updated && deployed) {
          journal.emit({
            type: 'agent.deployed',
            severity: 'notice',
            principal: user.id,
            account: user.accountId,
            agent: agent.id,
          });
        }
        return updated ? listed(updated) : undefined;
      },
    },
    journal: {
      tail: async ({ limit, type }) =>
        (await sink.list({ limit, ...(type ? { type } : {}) })).map((e) => ({
          time: e.time,
          type: e.type,
          severity: e.severity,
          principal: e.principal ?? undefined,
          path: e.path ?? undefined,
          reason: e.reason ?? undefined,
        })),
      async verify() {
        const result = await sink.verify();
        return result.ok
          ? { ok: true, checked: result.rows }
          : { ok: false, checked: result.rows, brokenAt: String(result.brokenAt) };
      },
    },
  };
}
