import { problemResponse, requestIdOf } from '@smarter/security';
import { type Context, Hono } from 'hono';
import type { Logger } from '../logging/logger.ts';
import { chatRequestSchema } from '../openapi/schemas.ts';
import { validate } from '../openapi/validator.ts';
import { ProviderError } from './errors.ts';
import type { ChatProvider } from './port.ts';

/** The agent a request on an agent host belongs to, as the chat routes need it. */
export interface ChatAgent {
  readonly name: string;
  readonly description: string;
  readonly requireKey: boolean;
}

/** Options of {@link chatRoutes}. */
export interface ChatRoutesOptions {
  /** The agent of this request (resolved from the validated host upstream); undefined answers 404. */
  readonly agentOf: (c: Context) => ChatAgent | undefined | Promise<ChatAgent | undefined>;
  /** The provider of an agent (its secret key is decrypted there, never here). */
  readonly providerOf: (agent: ChatAgent) => ChatProvider | Promise<ChatProvider>;
  /** Where provider failures are logged (code and upstream status only). */
  readonly logger?: Logger;
  /** Clock for `created`. @default Date.now */
  readonly now?: () => number;
}

const MAX_MESSAGES = 50;
const MAX_CONTENT = 32_000;

function problem(c: Context, status: number, code: string, title: string, headers: Record<string, string> = {}) {
  return problemResponse(
    { status, code, title, requestId: requestIdOf(c) },
    { 'cache-control': 'no-store', ...headers },
  );
}

/**
 * The routes of an agent host (mount under `/api/v1`): `GET /config` (public chat configuration) and
 * `POST /chat` (OpenAI-like body in, OpenAI-like completion out). Provider failures become clean problem+json.
 *
 * @example
 * agentHost.route('/api/v1', chatRoutes({ agentOf: (c) => c.get('agent'), providerOf: (a) => echoProvider() }));
 */
export function chatRoutes(options: ChatRoutesOptions): Hono {
  const now = options.now ?? Date.now;
  const app = new Hono();

  app.get('/config', async function chatConfig(c) {
    const agent = await options.agentOf(c);
    if (!agent) return problem(c, 404, 'NOT_FOUND', 'Not found');
    const provider = await options.providerOf(agent);
    c.header('cache-control', 'no-store');
    return c.json({
      agent: { name: agent.name, description: agent.description },
      provider: provider.name,
      model: provider.defaultModel,
      requireKey: agent.requireKey,
      chatPath: '/api/v1/chat',
      limits: { maxMessages: MAX_MESSAGES, maxContentLength: MAX_CONTENT },
    });
  });

  app.post('/chat', validate('json', chatRequestSchema), async function chat(c) {
    const agent = await options.agentOf(c);
    if (!agent) return problem(c, 404, 'NOT_FOUND', 'Not found');
    const body = c.req.valid('json');
    const provider = await options.providerOf(agent);
    try {
      const reply = await provider.chat(
        { messages: body.messages, temperature: body.temperature },
        { signal: c.req.raw.signal },
      );
      c.header('cache-control', 'no-store');
      return c.json({
        id: `chatcmpl-${crypto.randomUUID()}`,
        object: 'chat.completion' as const,
        created: Math.floor(now() / 1000),
        model: reply.model,
        provider: reply.provider,
        choices: [{ index: 0, message: reply.message, finish_reason: reply.finishReason }],
        ...(reply.usage
          ? {
              usage: {
                prompt_tokens: reply.usage.promptTokens,
                completion_tokens: reply.usage.completionTokens,
                total_tokens: reply.usage.promptTokens + reply.usage.completionTokens,
              },
            }
          : {}),
      });
    } catch (error) {
      const failure =
        error instanceof ProviderError ? error : new ProviderError('PROVIDER_UNAVAILABLE', { cause: error });
      options.logger?.warn('provider call failed', {
        agent: agent.name,
        provider: provider.name,
        code: failure.code,
        upstreamStatus: failure.upstreamStatus,
      });
      const headers: Record<string, string> = failure.retryAfter ? { 'retry-after': String(failure.retryAfter) } : {};
      return problem(c, failure.status, failure.code, failure.message, headers);
    }
  });
  return app;
}
