import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isSmarterError, Secret, SmarterConfigError } from '@smarter/security';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.ts';
import { chatRoutes } from './chat-routes.ts';
import { echoProvider } from './echo.ts';
import { ProviderError } from './errors.ts';
import { openAiCompatibleProvider, resolveOpenAiCompatibleOptions } from './openai-compatible.ts';
import type { ChatProvider } from './port.ts';

const KEY = 'sk-test-PROVIDER-KEY-0123456789';

type Mode = 'ok' | 'unauthorized' | 'rate-limited' | 'down' | 'garbage' | 'huge' | 'hang' | 'redirect' | 'no-choices';

interface Seen {
  readonly authorization: string | undefined;
  readonly path: string | undefined;
  readonly body: { model: string; messages: unknown[]; temperature?: number };
}

/** A fake OpenAI-compatible provider on 127.0.0.1, answering per `mode`. */
function fakeProvider() {
  let mode: Mode = 'ok';
  const seen: Seen[] = [];
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      seen.push({ authorization: req.headers.authorization, path: req.url, body: JSON.parse(raw || '{}') });
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      switch (mode) {
        case 'ok':
          return json(200, {
            id: 'x',
            model: 'fake-model-2',
            choices: [
              { index: 0, message: { role: 'assistant', content: 'Hello from the fake' }, finish_reason: 'stop' },
            ],
            usage: { prompt_tokens: 7, completion_tokens: 4 },
          });
        case 'unauthorized':
          // Real providers echo part of the key and internal details: none of it may reach our client.
          return json(401, { error: { message: `Incorrect API key provided: ${KEY} at /srv/internal/llm.py` } });
        case 'rate-limited':
          return json(429, { error: { message: 'slow down' } }, { 'retry-after': '7' });
        case 'down':
          return json(500, { error: { message: 'Traceback (most recent call last): db at 10.0.0.5' } });
        case 'garbage':
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end('<html>not json</html>');
        case 'no-choices':
          return json(200, { choices: [] });
        case 'huge':
          return json(200, { choices: [{ message: { content: 'x'.repeat(3 * 1024 * 1024) } }] });
        case 'redirect':
          res.writeHead(302, { location: 'http://127.0.0.1:1/steal' });
          return res.end();
        case 'hang':
          hanging.push(res);
          return;
      }
    });
  });
  return {
    seen,
    setMode: (m: Mode) => {
      mode = m;
    },
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`)),
      ),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('echoProvider', () => {
  it('answers deterministically with the last user message', async () => {
    const reply = await echoProvider().chat({
      messages: [
        { role: 'system', content: 'be nice' },
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'Echo: first' },
        { role: 'user', content: 'hello world' },
      ],
    });
    expect(reply).toEqual({
      message: { role: 'assistant', content: 'Echo: hello world' },
      provider: 'echo',
      model: 'echo-1',
      finishReason: 'stop',
      usage: { promptTokens: 7, completionTokens: 3 },
    });
  });
});

describe('resolveOpenAiCompatibleOptions', () => {
  const base = { baseUrl: 'https://llm.example.com/v1/', model: 'm', apiKey: new Secret(KEY) };
  it('resolves the endpoint and defaults', () => {
    const o = resolveOpenAiCompatibleOptions(base);
    expect(o.endpoint).toBe('https://llm.example.com/v1/chat/completions');
    expect(o.timeoutMs).toBe(30_000);
    expect(o.name).toBe('openai');
  });
  it.each([
    [{ ...base, apiKey: KEY as unknown as Secret }, 'Secret'],
    [{ ...base, baseUrl: 'http://llm.example.com/v1' }, 'https'],
    [{ ...base, baseUrl: 'https://user:pw@llm.example.com/v1' }, 'credentials'],
    [{ ...base, timeout: 5 } as never, 'timeoutMs'],
    [{ ...base, model: '' }, 'model'],
  ])('refuses unsafe or misspelled options (%#)', (options, hint) => {
    expect(() => resolveOpenAiCompatibleOptions(options)).toThrow(SmarterConfigError);
    expect(() => resolveOpenAiCompatibleOptions(options)).toThrow(hint);
  });
  it('allows plain http to loopback (local gateways) and never prints the key', () => {
    const o = resolveOpenAiCompatibleOptions({ ...base, baseUrl: 'http://127.0.0.1:11434/v1' });
    expect(JSON.stringify(o)).not.toContain(KEY);
  });
});

describe('openAiCompatibleProvider against a fake provider on 127.0.0.1', () => {
  const fake = fakeProvider();
  let baseUrl = '';
  let provider: ChatProvider;
  beforeAll(async () => {
    baseUrl = await fake.start();
    provider = openAiCompatibleProvider({ baseUrl, model: 'fake-model', apiKey: new Secret(KEY), timeoutMs: 20_000 });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.setMode('ok'));

  it('sends the key only as a Bearer header, and maps the answer', async () => {
    const reply = await provider.chat({ messages: [{ role: 'user', content: 'hi' }], temperature: 0.2 });
    expect(reply).toEqual({
      message: { role: 'assistant', content: 'Hello from the fake' },
      provider: 'openai',
      model: 'fake-model-2',
      finishReason: 'stop',
      usage: { promptTokens: 7, completionTokens: 4 },
    });
    const last = fake.seen.at(-1);
    expect(last?.authorization).toBe(`Bearer ${KEY}`);
    expect(last?.path).toBe('/v1/chat/completions');
    expect(last?.body).toEqual({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }], temperature: 0.2 });
  });

  it.each([
    ['unauthorized', 'PROVIDER_REJECTED', 502],
    ['rate-limited', 'PROVIDER_RATE_LIMITED', 503],
    ['down', 'PROVIDER_UNAVAILABLE', 502],
    ['garbage', 'PROVIDER_BAD_RESPONSE', 502],
    ['no-choices', 'PROVIDER_BAD_RESPONSE', 502],
    ['huge', 'PROVIDER_BAD_RESPONSE', 502],
    ['redirect', 'PROVIDER_BAD_RESPONSE', 502],
    ['hang', 'PROVIDER_TIMEOUT', 504],
  ] as const)('maps %s to %s', async (mode, code, status) => {
    fake.setMode(mode);
    const before = fake.seen.length;
    // Only the hanging case uses a short timeout, so a slow machine cannot turn the others into timeouts.
    const subject =
      mode === 'hang'
        ? openAiCompatibleProvider({ baseUrl, model: 'fake-model', apiKey: new Secret(KEY), timeoutMs: 100 })
        : provider;
    const error = await subject.chat({ messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(isSmarterError(error)).toBe(true);
    expect((error as ProviderError).code).toBe(code);
    expect((error as ProviderError).status).toBe(status);
    expect(JSON.stringify(error)).not.toContain(KEY);
    expect((error as Error).message).not.toMatch(/internal|Traceback|10\.0\.0\.5/);
    // A redirect is not followed: exactly one request reached the fake.
    expect(fake.seen.length).toBe(before + 1);
  });

  it('reports a provider unreachable as PROVIDER_UNAVAILABLE', async () => {
    const dead = openAiCompatibleProvider({ baseUrl: 'http://127.0.0.1:1/v1', model: 'm', apiKey: new Secret(KEY) });
    await expect(dead.chat({ messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
    });
  });

  describe('through the chat routes', () => {
    const lines: string[] = [];
    const app = () => {
      const logger = createLogger({ write: (line) => lines.push(line) });
      const routes = chatRoutes({
        agentOf: (c) =>
          c.req.header('x-test-agent') === 'none'
            ? undefined
            : { name: 'support', description: 'Support bot', requireKey: true },
        providerOf: () => provider,
        logger,
        now: () => Date.UTC(2026, 0, 1),
      });
      return new Hono().route('/api/v1', routes);
    };
    const chat = (body: unknown, headers: Record<string, string> = {}) =>
      app().request('/api/v1/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });

    it('answers an OpenAI-like completion', async () => {
      const res = await chat({ messages: [{ role: 'user', content: 'hi' }] });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toMatchObject({
        object: 'chat.completion',
        created: 1767225600,
        model: 'fake-model-2',
        provider: 'openai',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the fake' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 7, completion_tokens: 4, total_tokens: 11 },
      });
      expect(body.id).toMatch(/^chatcmpl-/);
    });

    it('turns provider errors into clean problem+json; the key is in neither the response nor the log', async () => {
      fake.setMode('unauthorized');
      const res = await chat({ messages: [{ role: 'user', content: 'hi' }] });
      expect(res.status).toBe(502);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ code: 'PROVIDER_REJECTED', status: 502 });
      for (const leak of [KEY, 'Incorrect API key', '/srv/internal', '127.0.0.1']) expect(text).not.toContain(leak);
      expect(lines.join('\n')).toContain('PROVIDER_REJECTED');
      expect(lines.join('\n')).not.toContain(KEY);

      fake.setMode('rate-limited');
      const limited = await chat({ messages: [{ role: 'user', content: 'hi' }] });
      expect(limited.status).toBe(503);
      expect(limited.headers.get('retry-after')).toBe('7');
    });

    it('validates the body before calling the provider', async () => {
      const before = fake.seen.length;
      const res = await chat({ messages: [] });
      expect(res.status).toBe(400);
      expect((await res.json()).errors[0]).toMatchObject({ path: 'messages', code: 'too_small' });
      expect(fake.seen.length).toBe(before);
    });

    it('serves the public chat config without provider secrets', async () => {
      const res = await app().request('/api/v1/config');
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({
        agent: { name: 'support', description: 'Support bot' },
        provider: 'openai',
        model: 'fake-model',
        requireKey: true,
        chatPath: '/api/v1/chat',
        limits: { maxMessages: 50, maxContentLength: 32000 },
      });
      expect(text).not.toContain(KEY);
      expect(text).not.toContain('127.0.0.1');
      expect((await app().request('/api/v1/config', { headers: { 'x-test-agent': 'none' } })).status).toBe(404);
    });
  });
});
