import { createOAuthLogin, PasswordRejectedError, type UserRecord } from '@smarter/auth';
import { type AgentRecord, agentHostname } from '@smarter/data';
import { csrfToken, identityOf, isSmarterError, requestIdOf, rotateCsrfToken, SmarterError } from '@smarter/security';
import type { Context } from 'hono';
import { toHex } from '../internal/hex.ts';
import { echoProvider } from '../providers/echo.ts';
import type { ChatProvider } from '../providers/port.ts';
import type { AppServices } from '../services.ts';
import type { PasswordLinkPurpose, WorkbenchPasswordLinks, WorkbenchPorts, WorkbenchSessionUser } from './ports.ts';
import type { AgentView, JournalEventView, KeyView, OAuthProviderView } from './types.ts';

/** Options of {@link serverWorkbenchPorts}. */
export interface ServerWorkbenchOptions {
  /** Events per journal page. @default 50 */
  readonly journalPageSize?: number;
  /** Reset emails to one address per hour, whoever asks (beyond it, requests are dropped silently). @default 3 */
  readonly resetEmailsPerHour?: number;
}

const DAY_MS = 86_400_000;
const LIFETIMES: Readonly<Record<string, number>> = { '30d': 30 * DAY_MS, '90d': 90 * DAY_MS };
const USER_VAR = 'workbenchUser';
const SEVERITIES = new Set(['debug', 'info', 'notice', 'warning', 'error', 'critical']);

const iso = (ms: number): string => new Date(ms).toISOString();
const OAUTH_LABELS: Readonly<Record<OAuthProviderView['id'], string>> = {
  google: 'Continue with Google',
  github: 'Continue with GitHub',
  linkedin: 'Continue with LinkedIn',
};

function agentView(a: AgentRecord): AgentView {
  return {
    name: a.name,
    description: a.systemPrompt,
    hostname: a.hostname,
    deployed: a.deployed,
    provider: a.provider,
    model: a.model,
    requireKey: a.requireKey,
    allowedOrigins: a.allowedOrigins,
    createdAt: iso(a.createdAt),
  };
}

/**
 * The workbench ports over the app's services: `@smarter/auth` sessions, login throttle, passwords and API keys,
 * `@smarter/data` repositories and the database journal. Sessions rotate on login and password change, and the CSRF
 * secret rotates with them; every read and write is scoped to the signed-in user's account.
 *
 * @example
 * app.route('/', workbenchRoutes({ ports: serverWorkbenchPorts(services), staticUrl: config.staticUrl }));
 */
export function serverWorkbenchPorts(services: AppServices, options: ServerWorkbenchOptions = {}): WorkbenchPorts {
  const { repositories: repos, config, journal } = services;
  const pageSize = options.journalPageSize ?? 50;
  // OAuth only for providers configured with SMARTER_OAUTH_<PROVIDER>_*; new identities follow the closed policy.
  const oauthLogin =
    config.oauth.length === 0
      ? undefined
      : createOAuthLogin({
          providers: config.oauth.map((p) => ({
            id: p.id,
            clientId: p.clientId,
            clientSecret: p.clientSecret.reveal(),
            redirectUri: p.redirectUri,
            ...(p.endpoints ? { endpoints: p.endpoints } : {}),
          })),
          keyRing: services.keyRing,
          store: services.store,
          repositories: repos,
          accounts: services.accounts,
          journal,
          fetch: services.fetch,
          now: services.now,
          dangerouslyAllowInsecureRequests: !config.cookieSecure,
        });

  /** The user record behind a workbench user, re-read so a deactivated or demoted user loses access at once. */
  const recordOf = async (user: WorkbenchSessionUser): Promise<UserRecord> => {
    const record = await repos.users.getById(user.id);
    if (!record?.active) throw new SmarterError('UNAUTHENTICATED', 'Sign in again', { status: 401 });
    return record;
  };
  const canAdminister = (user: WorkbenchSessionUser) => user.role !== 'member';
  const agentOf = async (user: WorkbenchSessionUser, name: string) => repos.agents.getByName(user.accountId, name);

  async function loadUser(c: Context): Promise<WorkbenchSessionUser | undefined> {
    const principal = c.get('principal' as never) as { kind: string; userId: string } | undefined;
    const session = principal?.kind === 'session' ? principal : await services.sessions.read(c).catch(() => undefined);
    if (!session) return undefined;
    const user = await repos.users.getById(session.userId);
    if (!user?.active) return undefined;
    const account = await repos.accounts.getById(user.accountId);
    if (!account) return undefined;
    return {
      id: user.id,
      accountId: account.id,
      email: user.email,
      role: user.role,
      accountName: account.name,
      accountNumber: account.number,
    };
  }

  return {
    async currentUser(c) {
      const cached = c.get(USER_VAR as never) as { value: WorkbenchSessionUser | undefined } | undefined;
      if (cached) return cached.value;
      const value = await loadUser(c);
      c.set(USER_VAR as never, { value } as never);
      return value;
    },

    async requestTokens(c) {
      return { nonce: (c.get('cspNonce' as never) as string | undefined) ?? '', csrfToken: await csrfToken(c) };
    },

    async login(c, email, password) {
      const result = await services.login.authenticate({
        email,
        password,
        clientKey: identityOf(c).key,
        requestId: requestIdOf(c),
      });
      // The refusal is passed on as it is: a throttled login must answer 429 with Retry-After, not a plain 401.
      if (!result.ok) return result;
      // A new session id (any previous one is deleted) and a CSRF secret bound to it: nothing fixed before login survives.
      const principal = await services.sessions.login(c, result.user);
      await rotateCsrfToken(c, principal.sessionIdHash);
      c.set(USER_VAR as never, undefined as never);
      return { ok: true };
    },

    async logout(c) {
      await services.sessions.logout(c);
      await rotateCsrfToken(c, undefined);
      c.set(USER_VAR as never, { value: undefined } as never);
    },

    async changePassword(c, user, current, next) {
      try {
        const updated = await services.accounts.changePassword(await recordOf(user), current, next);
        // Every other session of the user ends; this browser gets a fresh session and CSRF secret.
        const principal = await services.sessions.passwordChanged(c, updated);
        await rotateCsrfToken(c, principal.sessionIdHash);
        return { ok: true };
      } catch (error) {
        if (error instanceof PasswordRejectedError) return { ok: false, errors: error.problems.map((p) => p.message) };
        if (error instanceof SmarterError && error.code === 'INVALID_CREDENTIALS') {
          return { ok: false, errors: ['The current password is not correct.'] };
        }
        throw error;
      }
    },

    agents: {
      async list(user) {
        return (await repos.agents.listByAccount(user.accountId)).map(agentView);
      },
      async get(user, name) {
        const agent = await agentOf(user, name);
        return agent ? agentView(agent) : undefined;
      },
      async create(user, input) {
        if (!canAdminister(user) || (await agentOf(user, input.name))) return undefined;
        const openai = input.provider === 'openai';
        const agent = await repos.agents.create({
          accountId: user.accountId,
          name: input.name,
          // Without SMARTER_API_DOMAIN, agents live under .localhost, which browsers and curl resolve to loopback.
          hostname: agentHostname(input.name, user.accountNumber, config.apiDomain ?? 'localhost'),
          provider: input.provider,
          model: openai ? (config.provider.model ?? 'gpt-4o-mini') : 'echo-1',
          systemPrompt: input.description,
          deployed: input.deployed,
          // requireKey: the data layer's default (chat on the agent's host needs an API key).
        });
        const event = { severity: 'notice', principal: user.id, account: user.accountId, agent: agent.id } as const;
        journal.emit({ type: 'agent.created', ...event });
        if (agent.deployed) journal.emit({ type: 'agent.deployed', ...event });
        return agentView(agent);
      },
      async setDeployed(user, name, deployed) {
        if (!canAdminister(user)) return false;
        const agent = await agentOf(user, name);
        if (!agent) return false;
        const updated = await repos.agents.update(agent.id, { deployed });
        if (!updated) return false;
        journal.emit({
          type: 'agent.deployed',
          severity: 'notice',
          principal: user.id,
          account: user.accountId,
          agent: agent.id,
          reason: deployed ? 'DEPLOYED' : 'UNDEPLOYED',
        });
        return true;
      },
      async delete(user, name) {
        if (!canAdminister(user)) return false;
        const agent = await agentOf(user, name);
        if (!agent || !(await repos.agents.delete(agent.id))) return false;
        journal.emit({
          type: 'agent.deleted',
          severity: 'notice',
          principal: user.id,
          account: user.accountId,
          agent: agent.id,
        });
        return true;
      },
    },

    keys: {
      async list(user) {
        const now = services.now();
        return (await services.keys.list(await recordOf(user))).map(
          (k): KeyView => ({
            id: k.id,
            name: k.name,
            lastFour: k.lastFour,
            scopes: k.scopes,
            createdAt: iso(k.createdAt),
            expiresAt: iso(k.expiresAt),
            lastUsedAt: k.lastUsedAt === null ? null : iso(k.lastUsedAt),
            active: k.active && k.expiresAt > now,
          }),
        );
      },
      async create(user, input) {
        const issued = await services.keys.issue(await recordOf(user), {
          name: input.name,
          scopes: input.scopes,
          expiresInMs: LIFETIMES[input.expiresIn] ?? 365 * DAY_MS,
        });
        return { name: issued.record.name, key: issued.token };
      },
      async revoke(user, id) {
        return services.keys.revoke(await recordOf(user), id);
      },
    },

    journal: {
      async query(user, filter) {
        if (!canAdminister(user)) return { events: [] };
        return journalPage(services, user, filter, pageSize);
      },
    },

    async chatProvider(user, name) {
      const agent = await agentOf(user, name);
      if (!agent) return undefined;
      return providerOf(services, agent);
    },

    passwords: passwordLinks(services, options.resetEmailsPerHour ?? 3),

    oauthProviders: config.oauth.map((p) => ({ id: p.id, label: OAUTH_LABELS[p.id], href: `/auth/oauth/${p.id}` })),
    ...(oauthLogin
      ? {
          oauth: {
            start: (c: Context, provider: string) => oauthLogin.start(c, provider),
            async callback(c: Context, provider: string) {
              const result = await oauthLogin.callback(c, provider);
              if (!result.ok) return false;
              const principal = await services.sessions.login(c, result.user);
              await rotateCsrfToken(c, principal.sessionIdHash);
              return true;
            },
          },
        }
      : {}),
  };
}

const HOUR_MS = 3_600_000;

const sha256Hex = async (text: string) => toHex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));

/** Forgotten passwords and emailed links over the account service and its tokens (SPEC §14). */
function passwordLinks(services: AppServices, emailsPerHour: number): WorkbenchPasswordLinks {
  const { accounts, tokens, journal } = services;
  /** The user a link's token stands for: reset links only for active users, as `resetPassword` requires. */
  const userOf = async (purpose: PasswordLinkPurpose, token: string) => {
    const user = await tokens.check(purpose, token);
    return user && (purpose === 'activation' || user.active) ? user : undefined;
  };
  return {
    emailEnabled: services.mail !== undefined,
    async requestReset(_c, email) {
      if (!services.mail) return;
      const address = email.trim().toLowerCase();
      // Past the response, so an address with an account is answered as fast as one without.
      services.background('email', async () => {
        // The rate limit counts per client; this caps what many clients can send to one mailbox (keyed by a hash, so
        // the store holds no addresses).
        const sent = await services.store.increment(`smarter:reset-email:${await sha256Hex(address)}`, HOUR_MS);
        if (sent.count > emailsPerHour) return;
        await accounts.requestPasswordReset(address);
      });
    },
    async checkToken(purpose, token) {
      const user = await userOf(purpose, token);
      return user ? { email: user.email } : undefined;
    },
    async setPassword(c, purpose, token, password) {
      try {
        if (purpose === 'password-reset') {
          await accounts.resetPassword(token, password);
        } else {
          const user = await accounts.activate(token, password);
          // The account service journals resets, not activations: the first password is a change worth recording.
          journal.emit({
            type: 'password.changed',
            severity: 'notice',
            requestId: requestIdOf(c),
            principal: user.id,
            account: user.accountId,
            reason: 'ACTIVATED',
          });
        }
        return { ok: true };
      } catch (error) {
        if (error instanceof PasswordRejectedError) {
          return { ok: false, code: 'PASSWORD_INVALID', errors: error.problems.map((p) => p.message) };
        }
        if (isSmarterError(error) && error.code === 'TOKEN_INVALID') return { ok: false, code: 'LINK_INVALID' };
        throw error;
      }
    },
  };
}

/** The provider of an agent: the offline echo, or the server's configured OpenAI-compatible provider. */
function providerOf(services: AppServices, agent: AgentRecord): ChatProvider {
  return agent.provider === 'echo' ? echoProvider() : services.provider;
}

/**
 * One page of the database journal, newest first: superusers see every event, admins their account's. The cursor is
 * the sequence number of the last event shown (digits only; anything else starts from the newest).
 */
async function journalPage(
  services: AppServices,
  user: WorkbenchSessionUser,
  filter: {
    readonly type?: string | undefined;
    readonly principal?: string | undefined;
    readonly cursor?: string | undefined;
  },
  pageSize: number,
): Promise<{ readonly events: readonly JournalEventView[]; readonly nextCursor?: string | undefined }> {
  const store = services.journalStore;
  if (!store) return { events: [] };
  const before = filter.cursor && /^\d{1,15}$/.test(filter.cursor) ? Number(filter.cursor) : undefined;
  const rows = await store.list({
    newestFirst: true,
    limit: pageSize + 1,
    ...(before !== undefined ? { beforeSeq: before } : {}),
    ...(filter.type ? { type: filter.type } : {}),
    ...(filter.principal ? { principal: filter.principal } : {}),
    ...(user.role === 'superuser' ? {} : { account: user.accountId }),
  });
  const events = rows.slice(0, pageSize).map(
    (r): JournalEventView => ({
      id: r.id,
      time: r.time,
      type: r.type,
      severity: (SEVERITIES.has(r.severity) ? r.severity : 'info') as JournalEventView['severity'],
      principal: r.principal ?? undefined,
      method: r.method ?? undefined,
      path: r.path ?? undefined,
      status: r.status ?? undefined,
      reason: r.reason ?? undefined,
    }),
  );
  const last = rows[pageSize - 1];
  return { events, nextCursor: rows.length > pageSize && last ? String(last.seq) : undefined };
}
