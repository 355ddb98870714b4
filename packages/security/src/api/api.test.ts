import { Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { SmarterConfigError, SmarterError } from '../errors/smarter-error.ts';
import { secureHeaders } from '../headers/secure-headers.ts';
import { bodyLimit, resolveBodyLimitOptions } from './body-limit.ts';
import { jsonErrorHandler, jsonNotFound } from './errors.ts';
import { jsonApi, resolveJsonApiOptions } from './json-api.ts';
import { parseJsonBody } from './json-body.ts';

function chunked(parts: Uint8Array[]): RequestInit {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of parts) controller.enqueue(p);
      controller.close();
    },
  });
  return { method: 'POST', body: stream, duplex: 'half' } as RequestInit;
}

function api(options: Parameters<typeof jsonApi>[0] = { maxBytes: 64, maxDepth: 3 }) {
  const seen: unknown[] = [];
  const app = new Hono();
  app.use('/api/*', jsonApi(options));
  app.post('/api/items', async (c) => {
    seen.push(await c.req.json());
    return c.json({ ok: true }, 201);
  });
  app.get('/api/items', (c) => c.json([]));
  app.delete('/api/items/:id', (c) => c.body(null, 204));
  app.get('/api/boom', () => {
    throw new Error('connect ECONNREFUSED /var/run/postgres.sock SELECT * FROM users');
  });
  app.get('/api/teapot', () => {
    throw new SmarterError('AGENT_NOT_DEPLOYED', 'Agent not deployed', { status: 409 });
  });
  app.get('/api/http', () => {
    throw new HTTPException(400, { message: 'Malformed JSON near <script>' });
  });
  app.notFound(jsonNotFound(app));
  app.onError(jsonErrorHandler());
  return { app, seen };
}

const json = (body: string, extra: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...extra },
  body,
});

async function problem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  return (await res.json()) as { code: string; reason?: string; detail?: string };
}

describe('parseJsonBody', () => {
  it('refuses invalid UTF-8, bad JSON, deep nesting and pollution keys at any depth', () => {
    expect(parseJsonBody(new Uint8Array([0x7b, 0xff, 0x7d]), 5)).toEqual({ ok: false, reason: 'INVALID_UTF8' });
    expect(parseJsonBody(new TextEncoder().encode('{'), 5)).toEqual({ ok: false, reason: 'INVALID_JSON' });
    expect(parseJsonBody(new TextEncoder().encode('[[[[1]]]]'), 3)).toEqual({ ok: false, reason: 'NESTING_TOO_DEEP' });
    expect(parseJsonBody(new TextEncoder().encode('[[[1]]]'), 3)).toMatchObject({ ok: true });
    expect(parseJsonBody(new TextEncoder().encode('{"a":[{"__proto__":{"x":1}}]}'), 5)).toEqual({
      ok: false,
      reason: 'FORBIDDEN_KEY',
    });
    expect(parseJsonBody(new TextEncoder().encode('{"constructor":{"prototype":1}}'), 5)).toMatchObject({ ok: false });
    expect(parseJsonBody(new TextEncoder().encode('{"constructors":1}'), 5)).toMatchObject({ ok: true });
  });
});

describe('resolve options', () => {
  it('rejects misspelled and unsafe limits', () => {
    expect(() => resolveJsonApiOptions({ maxbytes: 1 } as never)).toThrow(SmarterConfigError);
    expect(() => resolveJsonApiOptions({ maxDepth: 0 })).toThrow(/maxDepth/);
    expect(() => resolveBodyLimitOptions({ maxBytes: -1 })).toThrow(/maxBytes/);
    expect(resolveBodyLimitOptions().maxBytes).toBe(1_048_576);
  });
});

describe('jsonApi', () => {
  it('hands a checked body to the handler through c.req.json()', async () => {
    const { app, seen } = api();
    const res = await app.request('/api/items', json('{"name":"a"}'));
    expect(res.status).toBe(201);
    expect(seen).toEqual([{ name: 'a' }]);
  });

  it('answers 415, 413 (declared and chunked) and 400 reasons without running the handler', async () => {
    const { app, seen } = api();
    expect(
      (
        await problem(
          await app.request('/api/items', {
            method: 'POST',
            body: 'a=1',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
          415,
        )
      ).code,
    ).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await problem(await app.request('/api/items', json(`"${'x'.repeat(100)}"`)), 413)).code).toBe(
      'PAYLOAD_TOO_LARGE',
    );
    const big = chunked([new TextEncoder().encode('"'), new Uint8Array(40).fill(0x61), new Uint8Array(40).fill(0x61)]);
    (big as { headers?: HeadersInit }).headers = { 'content-type': 'application/json' };
    expect((await problem(await app.request('/api/items', big), 413)).code).toBe('PAYLOAD_TOO_LARGE');
    expect((await problem(await app.request('/api/items', json('[[[[1]]]]')), 400)).reason).toBe('NESTING_TOO_DEEP');
    expect((await problem(await app.request('/api/items', json('{"__proto__":{"admin":true}}')), 400)).reason).toBe(
      'FORBIDDEN_KEY',
    );
    const badUtf8 = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Uint8Array([0x22, 0xc3, 0x28, 0x22]),
    };
    expect((await problem(await app.request('/api/items', badUtf8), 400)).reason).toBe('INVALID_UTF8');
    expect(seen).toEqual([]);
  });

  it('answers 404 and 405 with Allow as problem+json, echoing nothing', async () => {
    const { app } = api();
    const notFound = await app.request('/api/nothing-%3Cscript%3E');
    const text = await notFound.clone().text();
    expect(text).not.toContain('script');
    expect((await problem(notFound, 404)).code).toBe('NOT_FOUND');
    const put = await app.request('/api/items', { method: 'PUT' });
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
    expect((await problem(put, 405)).code).toBe('METHOD_NOT_ALLOWED');
    const patch = await app.request('/api/items/7', { method: 'PATCH', headers: { 'x-secret': 'echo-me' } });
    expect(patch.headers.get('allow')).toBe('DELETE');
    expect(await patch.text()).not.toContain('echo-me');
  });

  it('hides internals of 5xx errors but keeps stable codes of 4xx ones', async () => {
    const { app } = api();
    const boom = await app.request('/api/boom');
    const text = await boom.clone().text();
    for (const leak of ['ECONNREFUSED', 'postgres', 'SELECT', 'stack', '/var/']) expect(text).not.toContain(leak);
    expect(await problem(boom, 500)).toEqual({
      type: 'urn:smarter:problem:internal',
      title: 'Internal server error',
      status: 500,
      code: 'INTERNAL',
    });
    expect((await problem(await app.request('/api/teapot'), 409)).code).toBe('AGENT_NOT_DEPLOYED');
    const http = await app.request('/api/http');
    expect(await http.clone().text()).not.toContain('script');
    expect((await problem(http, 400)).code).toBe('BAD_REQUEST');
    const dev = new Hono();
    dev.get('/x', () => {
      throw new Error('visible in development');
    });
    dev.onError(jsonErrorHandler({ exposeErrors: true }));
    expect((await problem(await dev.request('/x'), 500)).detail).toBe('visible in development');
  });
});

describe('bodyLimit', () => {
  /** An app limited to 10 bytes whose `method` handler records the body it read. */
  function limitedReader(method: 'post' | 'options') {
    const seen: string[] = [];
    const app = new Hono();
    app.use(bodyLimit({ maxBytes: 10 }));
    app.on(method.toUpperCase(), '/', async (c) => {
      seen.push(await c.req.text());
      return c.body(null, 204);
    });
    return { app, seen };
  }
  const tooBig = () => [new Uint8Array(6).fill(0x62), new Uint8Array(6).fill(0x62)];
  const hello = () => [new TextEncoder().encode('hello')];

  it('counts chunked bodies while streaming and still lets the handler read an accepted body', async () => {
    const { app, seen } = limitedReader('post');
    expect((await app.request('/', chunked(tooBig()))).status).toBe(413);
    expect((await app.request('/', { method: 'POST', body: 'x'.repeat(11) })).status).toBe(413);
    expect((await app.request('/', chunked(hello()))).status).toBe(204);
    expect((await app.request('/', { method: 'POST', body: 'hi' })).status).toBe(204);
    expect(seen).toEqual(['hello', 'hi']);
  });

  it('counts a chunked OPTIONS body too (only a preflight without one skips the count)', async () => {
    const { app, seen } = limitedReader('options');
    const options = (parts: Uint8Array[]): RequestInit => ({
      ...chunked(parts),
      method: 'OPTIONS',
      headers: { 'transfer-encoding': 'chunked' },
    });
    expect((await app.request('/', options(tooBig()))).status).toBe(413);
    expect((await app.request('/', options(hello()))).status).toBe(204);
    expect((await app.request('/', { method: 'OPTIONS' })).status).toBe(204);
    expect(seen).toEqual(['hello', '']);
  });

  it('checks the request a middleware put in place, not the Content-Length an outer limit read first', async () => {
    const app = new Hono();
    app.use(bodyLimit({ maxBytes: 1000 }));
    // A decompressing layer: the 4-byte body it received becomes 64 bytes, with no Content-Length.
    app.use(async (c, next) => {
      c.req.raw = new Request(c.req.raw.url, { method: 'POST', body: 'z'.repeat(64) });
      await next();
    });
    app.post('/', bodyLimit({ maxBytes: 16 }), async (c) => c.text(await c.req.text()));
    expect((await app.request('/', { method: 'POST', body: 'gzip', headers: { 'content-length': '4' } })).status).toBe(
      413,
    );
  });

  it('reads a JSON body in one call only on the request the server framed, and counts a replaced one', async () => {
    let pulled = 0;
    const app = new Hono();
    app.use(secureHeaders());
    // A decompressing layer that keeps the compressed Content-Length on the endless body it puts in place.
    app.use(
      '/inflated',
      inflating(() => pulled++),
    );
    app.use(jsonApi({ maxBytes: 64 }));
    app.post('*', async (c) => c.json(await c.req.json()));
    const small = () => ({
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '7' },
      body: '{"a":1}',
    });
    expect(await (await app.request('/direct', small())).json()).toEqual({ a: 1 });
    const inflated = await app.request('/inflated', small());
    expect(inflated.status).toBe(413);
    expect((await inflated.json()).code).toBe('PAYLOAD_TOO_LARGE');
    // Stopped at the limit: 16-byte chunks, the fifth one passes 64 bytes (the stream may pull one ahead).
    expect(pulled).toBeLessThanOrEqual(6);
  });

  it('counts a body whose declared length a replacing layer kept, or that also says Transfer-Encoding', async () => {
    let pulled = 0;
    const app = new Hono();
    app.use(bodyLimit({ maxBytes: 1000 }));
    // Replaced after the outermost layer saw the request: its Content-Length no longer describes the body.
    app.use(
      '/inflated',
      inflating(() => pulled++),
    );
    app.post('/inflated', bodyLimit({ maxBytes: 64 }), (c) => c.text('read'));
    const json = new Hono();
    json.post('/both', jsonApi({ maxBytes: 64 }), (c) => c.text('read'));
    const inflated = await app.request('/inflated', {
      method: 'POST',
      body: 'gzip',
      headers: { 'content-length': '4' },
    });
    expect(inflated.status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(6);
    pulled = 0;
    const both = await json.request('/both', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '7', 'transfer-encoding': 'chunked' },
      body: endless(() => pulled++),
      duplex: 'half',
    } as RequestInit);
    expect(both.status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(6);
  });
});

/** A layer that swaps in an {@link endless} body and keeps the request's headers, Content-Length included. */
function inflating(onPull: () => void): MiddlewareHandler {
  return async (c, next) => {
    c.req.raw = new Request(c.req.raw.url, {
      method: 'POST',
      headers: new Headers(c.req.raw.headers),
      body: endless(onPull),
      duplex: 'half',
    } as RequestInit);
    await next();
  };
}

/** A body far larger than any limit here: 16-byte chunks, failing only after 1,000 of them (16 kB). */
function endless(onPull: () => void): ReadableStream<Uint8Array> {
  let chunks = 0;
  return new ReadableStream({
    pull(controller) {
      onPull();
      if (++chunks > 1000) controller.error(new Error('read far past the limit'));
      else controller.enqueue(new Uint8Array(16).fill(0x20));
    },
  });
}
