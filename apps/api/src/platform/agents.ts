import { canAdministerAccount, requireScopes } from '@smarter/auth';
import { type AgentRecord, agentHostname } from '@smarter/data';
import { SmarterError } from '@smarter/security';
import { type Context, Hono } from 'hono';
import { agentCreateSchema, agentNameParam, agentPatchSchema } from '../openapi/schemas.ts';
import { validate } from '../openapi/validator.ts';
import type { AppEnv, AppServices } from '../services.ts';
import { currentUser, forbiddenError, iso, notFoundError, requestIdOf, servicesOf } from './context.ts';

/** The JSON view of an agent (SPEC §21): never its provider secret. */
export function agentView(agent: AgentRecord, accountNumber: string): Record<string, unknown> {
  return {
    id: agent.id,
    name: agent.name,
    // The data layer keeps no description yet; the field is in the API shape for forward compatibility.
    description: '',
    accountNumber,
    hostname: agent.hostname,
    provider: agent.provider,
    model: agent.model,
    deployed: agent.deployed,
    requireKey: agent.requireKey,
    allowedOrigins: agent.allowedOrigins,
    createdAt: iso(agent.createdAt),
    updatedAt: iso(agent.updatedAt),
  };
}

/** The default model of a provider. */
export function defaultModel(services: AppServices, provider: string): string {
  return provider === 'echo' ? 'echo-1' : (services.config.provider.model ?? 'gpt-4o-mini');
}

async function accountNumberOf(services: AppServices, accountId: string): Promise<string> {
  const account = await services.repositories.accounts.getById(accountId);
  if (!account) throw notFoundError();
  return account.number;
}

async function agentOf(c: Context, name: string) {
  const user = await currentUser(c);
  const agent = await servicesOf(c).repositories.agents.getByName(user.accountId, name);
  if (!agent) throw notFoundError();
  return { user, agent };
}

/** `GET|POST /agents`, `GET|PATCH|DELETE /agents/{name}`, `POST /agents/{name}/deploy` (mount under `/api/v1`). */
export function agentRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/agents', requireScopes('agents:read'), async function listAgents(c) {
    const user = await currentUser(c);
    const services = servicesOf(c);
    const number = await accountNumberOf(services, user.accountId);
    const agents = await services.repositories.agents.listByAccount(user.accountId);
    c.header('cache-control', 'no-store');
    return c.json({ agents: agents.map((a) => agentView(a, number)) });
  });

  app.post(
    '/agents',
    requireScopes('agents:write'),
    validate('json', agentCreateSchema),
    async function createAgent(c) {
      const user = await currentUser(c);
      if (!canAdministerAccount(user, user.accountId)) throw forbiddenError();
      const services = servicesOf(c);
      const body = c.req.valid('json');
      const number = await accountNumberOf(services, user.accountId);
      if (await services.repositories.agents.getByName(user.accountId, body.name)) {
        throw new SmarterError('AGENT_EXISTS', 'An agent with this name already exists', { status: 409 });
      }
      const provider = body.provider ?? 'echo';
      const agent = await services.repositories.agents.create({
        accountId: user.accountId,
        name: body.name,
        // Without SMARTER_API_DOMAIN, agents live under .localhost, which browsers and curl resolve to loopback.
        hostname: agentHostname(body.name, number, services.config.apiDomain ?? 'localhost'),
        provider,
        model: body.model ?? defaultModel(services, provider),
        deployed: body.deployed ?? false,
        // Unset, the data layer's default applies: chat needs an API key unless the agent is made public on purpose.
        ...(body.requireKey !== undefined ? { requireKey: body.requireKey } : {}),
        ...(body.allowedOrigins !== undefined ? { allowedOrigins: body.allowedOrigins } : {}),
      });
      services.hosts.invalidate(agent.hostname);
      services.journal.emit({
        type: 'agent.created',
        severity: 'notice',
        principal: user.id,
        account: user.accountId,
        agent: agent.id,
        requestId: requestIdOf(c),
      });
      c.header('cache-control', 'no-store');
      return c.json(agentView(agent, number), 201);
    },
  );

  app.get('/agents/:name', requireScopes('agents:read'), validate('param', agentNameParam), async function getAgent(c) {
    const { user, agent } = await agentOf(c, c.req.valid('param').name);
    c.header('cache-control', 'no-store');
    return c.json(agentView(agent, await accountNumberOf(servicesOf(c), user.accountId)));
  });

  app.patch(
    '/agents/:name',
    requireScopes('agents:write'),
    validate('param', agentNameParam),
    validate('json', agentPatchSchema),
    async function patchAgent(c) {
      const { user, agent } = await agentOf(c, c.req.valid('param').name);
      if (!canAdministerAccount(user, user.accountId)) throw forbiddenError();
      const services = servicesOf(c);
      const body = c.req.valid('json');
      const { description: _description, ...rest } = body;
      const patch = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
      const updated = await services.repositories.agents.update(agent.id, patch);
      if (!updated) throw notFoundError();
      services.hosts.invalidate(agent.hostname);
      if (body.deployed === true && !agent.deployed) {
        services.journal.emit({
          type: 'agent.deployed',
          severity: 'notice',
          principal: user.id,
          account: user.accountId,
          agent: agent.id,
          requestId: requestIdOf(c),
        });
      }
      c.header('cache-control', 'no-store');
      return c.json(agentView(updated, await accountNumberOf(services, user.accountId)));
    },
  );

  app.delete(
    '/agents/:name',
    requireScopes('agents:write'),
    validate('param', agentNameParam),
    async function deleteAgent(c) {
      const { user, agent } = await agentOf(c, c.req.valid('param').name);
      if (!canAdministerAccount(user, user.accountId)) throw forbiddenError();
      const services = servicesOf(c);
      await services.repositories.agents.delete(agent.id);
      services.hosts.invalidate(agent.hostname);
      services.journal.emit({
        type: 'agent.deleted',
        severity: 'notice',
        principal: user.id,
        account: user.accountId,
        agent: agent.id,
        requestId: requestIdOf(c),
      });
      return c.body(null, 204);
    },
  );

  app.post(
    '/agents/:name/deploy',
    requireScopes('agents:write'),
    validate('param', agentNameParam),
    async function deployAgent(c) {
      const { user, agent } = await agentOf(c, c.req.valid('param').name);
      if (!canAdministerAccount(user, user.accountId)) throw forbiddenError();
      const services = servicesOf(c);
      const updated = await services.repositories.agents.update(agent.id, { deployed: true });
      if (!updated) throw notFoundError();
      services.hosts.invalidate(agent.hostname);
      services.journal.emit({
        type: 'agent.deployed',
        severity: 'notice',
        principal: user.id,
        account: user.accountId,
        agent: agent.id,
        requestId: requestIdOf(c),
      });
      c.header('cache-control', 'no-store');
      return c.json(agentView(updated, await accountNumberOf(services, user.accountId)));
    },
  );

  return app;
}
