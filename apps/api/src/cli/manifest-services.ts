import type { AccountService, ApiKeyService, SecretBox } from '@smarter/auth';
import { agentHostname, type Repositories } from '@smarter/data';
import { type Journal, SmarterError } from '@smarter/security';
import type { AppConfig } from '../config/config.ts';
import type { ManifestExecutor, ManifestLookup } from '../manifests/plan.ts';
import { DEFAULT_KEY_SCOPES } from '../platform/keys.ts';

/** What the manifest executor runs on. */
export interface ManifestServiceDeps {
  readonly config: AppConfig;
  readonly repositories: Repositories;
  readonly accounts: AccountService;
  readonly keys: ApiKeyService;
  readonly secrets: SecretBox;
  readonly keyId: string;
  readonly journal: Journal;
  /** The admin whose account the manifests apply to (`apply --user E`). */
  readonly owner: string | undefined;
}

/**
 * `apply -f` over the data and auth packages: the lookup the planner asks and the executor that runs each
 * operation in the account of `--user E` (an admin or superuser). Secrets are encrypted with the key ring; keys are
 * shown once.
 */
export function manifestServices(deps: ManifestServiceDeps): { lookup: ManifestLookup; executor: ManifestExecutor } {
  const { repositories: repos } = deps;
  const ownerRecord = async () => {
    if (!deps.owner) {
      throw new SmarterError('USER_REQUIRED', 'Pass --user E: the admin whose account the manifests apply to', {
        status: 400,
      });
    }
    const user = await repos.users.getByEmail(deps.owner);
    if (!user) throw new SmarterError('USER_NOT_FOUND', 'No user with this email', { status: 404 });
    if (user.role === 'member') throw new SmarterError('FORBIDDEN', 'Only admins apply manifests', { status: 403 });
    return user;
  };
  const userByEmail = async (email: string) => {
    const user = await repos.users.getByEmail(email);
    if (!user) throw new SmarterError('USER_NOT_FOUND', 'No user with this email', { status: 404 });
    return user;
  };
  const agentFields = async (
    accountId: string,
    op: {
      provider: string;
      model: string | undefined;
      deployed: boolean;
      requireKey: boolean;
      allowedOrigins: readonly string[];
      apiKeySecret: string | undefined;
    },
  ) => {
    const secret = op.apiKeySecret ? await repos.secrets.getByName(accountId, op.apiKeySecret) : undefined;
    return {
      provider: op.provider,
      model: op.model ?? (op.provider === 'echo' ? 'echo-1' : (deps.config.provider.model ?? 'gpt-4o-mini')),
      deployed: op.deployed,
      requireKey: op.requireKey,
      allowedOrigins: op.allowedOrigins,
      ...(secret ? { providerSecretId: secret.id } : {}),
    };
  };

  return {
    lookup: {
      userExists: async (email) => (await repos.users.getByEmail(email)) !== undefined,
      async agentExists(name) {
        const owner = await ownerRecord();
        return (await repos.agents.getByName(owner.accountId, name)) !== undefined;
      },
      async secretExists(name) {
        const owner = await ownerRecord();
        return (await repos.secrets.getByName(owner.accountId, name)) !== undefined;
      },
      async keyExists(userEmail, name) {
        const user = await repos.users.getByEmail(userEmail);
        if (!user) return false;
        return (await repos.keys.listByUser(user.id)).some((k) => k.name === name && k.active);
      },
    },
    executor: {
      async run(op) {
        const owner = await ownerRecord();
        switch (op.op) {
          case 'secret.create':
          case 'secret.update': {
            const ciphertext = await deps.secrets.encrypt(
              op.value.reveal(),
              op.expiresAt ? { expiresAt: op.expiresAt } : {},
            );
            const existing = await repos.secrets.getByName(owner.accountId, op.name);
            if (existing) await repos.secrets.replaceCiphertext(existing.id, ciphertext, deps.keyId, existing.keyId);
            else
              await repos.secrets.create({
                accountId: owner.accountId,
                ownerId: owner.id,
                name: op.name,
                ciphertext,
                keyId: deps.keyId,
                expiresAt: op.expiresAt,
              });
            deps.journal.emit({
              type: 'secret.rotated',
              severity: 'notice',
              principal: owner.id,
              account: owner.accountId,
              reason: 'MANIFEST',
            });
            return undefined;
          }
          case 'user.create':
            await deps.accounts.createUser(owner, {
              accountId: owner.accountId,
              email: op.email,
              role: op.role,
              active: op.active,
            });
            return undefined;
          case 'user.update': {
            const user = await userByEmail(op.email);
            await deps.accounts.updateUser(owner, user.id, { role: op.role, active: op.active });
            return undefined;
          }
          case 'agent.create': {
            const account = await repos.accounts.getById(owner.accountId);
            if (!account) throw new SmarterError('ACCOUNT_NOT_FOUND', 'The account is missing', { status: 404 });
            const agent = await repos.agents.create({
              accountId: owner.accountId,
              name: op.name,
              hostname: agentHostname(op.name, account.number, deps.config.apiDomain ?? 'localhost'),
              ...(await agentFields(owner.accountId, op)),
            });
            deps.journal.emit({
              type: 'agent.created',
              severity: 'notice',
              principal: owner.id,
              account: owner.accountId,
              agent: agent.id,
            });
            return undefined;
          }
          case 'agent.update': {
            const agent = await repos.agents.getByName(owner.accountId, op.name);
            if (!agent)
              throw new SmarterError('AGENT_NOT_FOUND', 'No agent with this name in the account', { status: 404 });
            await repos.agents.update(agent.id, await agentFields(owner.accountId, op));
            return undefined;
          }
          case 'key.create': {
            const user = await userByEmail(op.user);
            const agentIds: string[] = [];
            for (const name of op.agents) {
              const agent = await repos.agents.getByName(user.accountId, name);
              if (!agent)
                throw new SmarterError('AGENT_NOT_FOUND', 'No agent with this name in the account', { status: 404 });
              agentIds.push(agent.id);
            }
            const issued = await deps.keys.issue(owner, {
              name: op.name,
              description: op.description,
              userId: user.id,
              scopes: op.scopes.length > 0 ? op.scopes : DEFAULT_KEY_SCOPES,
              agentIds,
              expiresInMs: op.expiresInMs,
            });
            return { shownOnce: issued.token };
          }
        }
      },
    },
  };
}
