import type { AgentRecord } from '@smarter/data';
import { problemResponse, Secret } from '@smarter/security';
import { type Context, Hono } from 'hono';
import { type ChatAgent, chatRoutes } from '../providers/chat-routes.ts';
import { echoProvider } from '../providers/echo.ts';
import { openAiCompatibleProvider } from '../providers/openai-compatible.ts';
import type { ChatProvider } from '../providers/port.ts';
import { type AppEnv, type AppServices, agentIdOf, authenticate } from '../services.ts';

interface AgentVariables {
  agentRecord?: AgentRecord;
}

type ChatAgentOf = ChatAgent & { readonly record: AgentRecord };

/**
 * The routes of an agent's own host (`GET /api/v1/config`, `POST /api/v1/chat`; mount under `/api/v1`). When the
 * agent requires a key, both need an API key with the `chat` scope, and a bound key only works for its agents.
 */
export function agentChatRoutes(services: AppServices): Hono<AppEnv> {
  const app = new Hono<AppEnv & { Variables: AgentVariables }>();
  const withKey = authenticate(services, { sessions: false });

  app.use('*', async function loadAgent(c, next) {
    const id = agentIdOf(c);
    const agent = id ? await services.repositories.agents.getById(id) : undefined;
    if (!agent?.deployed) return next();
    c.set('agentRecord', agent);
    if (!agent.requireKey) return next();
    return withKey(c as never, async () => {
      const principal = c.get('principal');
      if (principal?.kind !== 'apiKey' || !(principal.scopes.includes('chat') || principal.scopes.includes('*'))) {
        c.res = problemResponse(
          { status: 403, code: 'INSUFFICIENT_SCOPE', title: 'Insufficient scope' },
          { 'www-authenticate': 'Bearer error="insufficient_scope", scope="chat"', 'cache-control': 'no-store' },
        );
        return;
      }
      await next();
    });
  });

  const agentOf = (c: Context): ChatAgentOf | undefined => {
    const record = (c.var as AgentVariables).agentRecord;
    return record ? { name: record.name, description: '', requireKey: record.requireKey, record } : undefined;
  };
  app.route(
    '/',
    chatRoutes({
      agentOf,
      providerOf: (agent) => providerFor(services, (agent as ChatAgentOf).record),
    }),
  );
  return app as unknown as Hono<AppEnv>;
}

/** The provider of an agent: echo, or OpenAI-compatible with the agent's key decrypted from its secret here only. */
async function providerFor(services: AppServices, agent: AgentRecord): Promise<ChatProvider> {
  if (agent.provider !== 'openai') return echoProvider();
  let apiKey = services.config.provider.apiKey;
  if (agent.providerSecretId) {
    const secret = await services.repositories.secrets.getById(agent.providerSecretId);
    if (secret && secret.accountId === agent.accountId)
      apiKey = new Secret(await services.secrets.decrypt(secret.ciphertext));
  }
  const baseUrl = agent.providerBaseUrl ?? services.config.provider.baseUrl;
  if (!baseUrl || !apiKey) return services.provider;
  return openAiCompatibleProvider({ baseUrl, model: agent.model, apiKey, fetch: services.fetch });
}
