import { Secret, SmarterConfigError } from '@smarter/security';
import { z } from 'zod';
import { ProviderError } from './errors.ts';
import type { ChatCallOptions, ChatProvider, ChatReply, ChatRequest } from './port.ts';

/** Options of {@link openAiCompatibleProvider}. */
export interface OpenAiCompatibleOptions {
  /** API base, e.g. `https://api.openai.com/v1`; `/chat/completions` is appended. */
  readonly baseUrl: string;
  /** Default model. */
  readonly model: string;
  /** The provider key, as a `Secret` so it never prints. */
  readonly apiKey: Secret;
  /** Provider name reported in replies. @default 'openai' */
  readonly name?: string;
  /** Abort a call after this many milliseconds. @default 30000 */
  readonly timeoutMs?: number;
  /** Refuse answers larger than this. @default 1048576 */
  readonly maxResponseBytes?: number;
  /** Allow `http://` to hosts other than loopback (never in production). @default false */
  readonly dangerouslyAllowInsecureHttp?: boolean;
  /** The fetch to use (tests, proxies). @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** {@link OpenAiCompatibleOptions} after validation. */
export interface ResolvedOpenAiCompatibleOptions {
  readonly endpoint: string;
  readonly model: string;
  readonly apiKey: Secret;
  readonly name: string;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly fetch: typeof fetch;
}

const KNOWN = new Set([
  'baseUrl',
  'model',
  'apiKey',
  'name',
  'timeoutMs',
  'maxResponseBytes',
  'dangerouslyAllowInsecureHttp',
  'fetch',
]);
const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/**
 * Validates {@link OpenAiCompatibleOptions} once; throws a `SmarterConfigError` saying what to write instead.
 *
 * @example
 * resolveOpenAiCompatibleOptions({ baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', apiKey: new Secret(k) });
 */
export function resolveOpenAiCompatibleOptions(options: OpenAiCompatibleOptions): ResolvedOpenAiCompatibleOptions {
  for (const name of Object.keys(options)) {
    if (!KNOWN.has(name)) {
      throw new SmarterConfigError(`Unknown provider option "${name}": use one of ${[...KNOWN].join(', ')}.`);
    }
  }
  if (!(options.apiKey instanceof Secret)) {
    throw new SmarterConfigError('apiKey must be a Secret: pass new Secret(value) so the key never prints.');
  }
  let url: URL;
  try {
    url = new URL(options.baseUrl);
  } catch {
    throw new SmarterConfigError('baseUrl must be an absolute URL such as https://api.openai.com/v1.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SmarterConfigError('baseUrl must use https://.');
  }
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname) && options.dangerouslyAllowInsecureHttp !== true) {
    throw new SmarterConfigError(
      'baseUrl uses plain http to a remote host, which would send the provider key in clear: use https://.',
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new SmarterConfigError('baseUrl must not carry credentials, a query or a fragment: pass the key as apiKey.');
  }
  if (!options.model || options.model.length > 200) {
    throw new SmarterConfigError('model must be a model name such as gpt-4o-mini.');
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxResponseBytes = options.maxResponseBytes ?? 1_048_576;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000) {
    throw new SmarterConfigError('timeoutMs must be an integer between 1 and 600000.');
  }
  if (!Number.isInteger(maxResponseBytes) || maxResponseBytes < 1024) {
    throw new SmarterConfigError('maxResponseBytes must be an integer of at least 1024.');
  }
  return {
    endpoint: `${url.href.replace(/\/+$/, '')}/chat/completions`,
    model: options.model,
    apiKey: options.apiKey,
    name: options.name ?? 'openai',
    timeoutMs,
    maxResponseBytes,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  };
}

const completion = z.object({
  model: z.string().max(200).optional(),
  choices: z
    .array(
      z.object({
        message: z.object({ role: z.string().optional(), content: z.string().nullable().optional() }),
        finish_reason: z.string().max(50).nullable().optional(),
      }),
    )
    .min(1),
  usage: z
    .object({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative() })
    .optional(),
});

async function readCapped(response: Response, max: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw new ProviderError('PROVIDER_BAD_RESPONSE');
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(all);
}

function retryAfterSeconds(value: string | null): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? Math.min(Math.ceil(n), 3600) : undefined;
}

/**
 * A provider for OpenAI-compatible chat completion APIs (OpenAI, Azure-style gateways, vLLM, Ollama, LiteLLM…).
 * The key goes only into the `Authorization` header of the provider call; redirects are not followed.
 *
 * @example
 * const provider = openAiCompatibleProvider({ baseUrl, model: 'gpt-4o-mini', apiKey: new Secret(key) });
 */
export function openAiCompatibleProvider(options: OpenAiCompatibleOptions): ChatProvider {
  const o = resolveOpenAiCompatibleOptions(options);
  return {
    name: o.name,
    defaultModel: o.model,
    async chat(request: ChatRequest, call: ChatCallOptions = {}): Promise<ChatReply> {
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, o.timeoutMs);
      const onAbort = () => controller.abort();
      call.signal?.addEventListener('abort', onAbort, { once: true });
      const body: Record<string, unknown> = {
        model: request.model ?? o.model,
        messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
      };
      if (request.temperature !== undefined) body['temperature'] = request.temperature;
      if (request.maxTokens !== undefined) body['max_tokens'] = request.maxTokens;
      try {
        let response: Response;
        try {
          response = await o.fetch(o.endpoint, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${o.apiKey.reveal()}`,
              'content-type': 'application/json',
              accept: 'application/json',
            },
            body: JSON.stringify(body),
            redirect: 'manual',
            signal: controller.signal,
          });
        } catch (cause) {
          throw new ProviderError(timedOut ? 'PROVIDER_TIMEOUT' : 'PROVIDER_UNAVAILABLE', { cause });
        }
        if (!response.ok) {
          await response.body?.cancel().catch(() => {});
          const status = response.status;
          if (status === 429) {
            throw new ProviderError('PROVIDER_RATE_LIMITED', {
              upstreamStatus: status,
              retryAfter: retryAfterSeconds(response.headers.get('retry-after')),
            });
          }
          if (status === 408 || status === 504) throw new ProviderError('PROVIDER_TIMEOUT', { upstreamStatus: status });
          if (status >= 500) throw new ProviderError('PROVIDER_UNAVAILABLE', { upstreamStatus: status });
          if (status >= 400) throw new ProviderError('PROVIDER_REJECTED', { upstreamStatus: status });
          throw new ProviderError('PROVIDER_BAD_RESPONSE', { upstreamStatus: status });
        }
        let parsed: z.infer<typeof completion>;
        try {
          const text = await readCapped(response, o.maxResponseBytes);
          const result = completion.safeParse(JSON.parse(text));
          if (!result.success) throw new ProviderError('PROVIDER_BAD_RESPONSE', { upstreamStatus: response.status });
          parsed = result.data;
        } catch (cause) {
          if (cause instanceof ProviderError) throw cause;
          throw new ProviderError(timedOut ? 'PROVIDER_TIMEOUT' : 'PROVIDER_BAD_RESPONSE', { cause });
        }
        const choice = parsed.choices[0];
        return {
          message: { role: 'assistant', content: choice?.message.content ?? '' },
          provider: o.name,
          model: parsed.model ?? request.model ?? o.model,
          finishReason: choice?.finish_reason ?? 'stop',
          usage: parsed.usage
            ? { promptTokens: parsed.usage.prompt_tokens, completionTokens: parsed.usage.completion_tokens }
            : undefined,
        };
      } finally {
        clearTimeout(timer);
        call.signal?.removeEventListener('abort', onAbort);
      }
    },
  };
}
