import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './document.ts';
import { openApiRoutes } from './routes.ts';
import { agentCreateSchema, durationMs, journalQuerySchema, keyCreateSchema } from './schemas.ts';
import { validate } from './validator.ts';

function appWithValidation() {
  let calls = 0;
  const app = new Hono();
  app.post('/agents', validate('json', agentCreateSchema), (c) => {
    calls += 1;
    return c.json(c.req.valid('json'), 201);
  });
  app.get('/journal', validate('query', journalQuerySchema), (c) => c.json(c.req.valid('query')));
  app.post('/boom', validate('json', keyCreateSchema), () => {
    throw new HTTPException(400, { message: 'from the handler' });
  });
  app.onError((error) => new Response(`onError:${error.message}`, { status: 599 }));
  return { app, calls: () => calls };
}

const post = (body: string, type = 'application/json') => ({
  method: 'POST',
  headers: { 'content-type': type },
  body,
});

describe('validate', () => {
  it('passes valid input to the handler, typed', async () => {
    const { app, calls } = appWithValidation();
    const res = await app.request('/agents', post(JSON.stringify({ name: 'support-bot', deployed: true })));
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ name: 'support-bot', deployed: true });
    expect(calls()).toBe(1);
  });

  it('answers invalid input with problem+json field paths, never echoing the input, and skips the handler', async () => {
    const { app, calls } = appWithValidation();
    const evil = '<script>alert(1)</script>';
    const res = await app.request(
      '/agents',
      post(
        JSON.stringify({
          name: evil,
          provider: 'evil-provider',
          allowedOrigins: ['https://ok.example.com', evil],
          [evil]: 1,
        }),
      ),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const text = await res.text();
    expect(text).not.toContain('script');
    expect(text).not.toContain('evil');
    const body = JSON.parse(text);
    expect(body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      type: 'urn:smarter:problem:validation-failed',
    });
    const paths = body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'provider', 'allowedOrigins.1', '']));
    expect(body.errors.find((e: { path: string }) => e.path === 'provider')).toEqual({
      path: 'provider',
      in: 'body',
      code: 'invalid_value',
      message: 'Must be one of: "echo", "openai"',
    });
    expect(body.errors.find((e: { code: string }) => e.code === 'unrecognized_keys').message).toBe(
      'Has 1 unknown field',
    );
    expect(calls()).toBe(0);
  });

  it('refuses non-JSON bodies with 415 and malformed JSON with 400, without echo', async () => {
    const { app, calls } = appWithValidation();
    const wrongType = await app.request('/agents', post('name=x', 'application/x-www-form-urlencoded'));
    expect(wrongType.status).toBe(415);
    expect((await wrongType.json()).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const broken = await app.request('/agents', post('{"name": "secret-input'));
    expect(broken.status).toBe(400);
    const text = await broken.text();
    expect(JSON.parse(text).code).toBe('INVALID_JSON');
    expect(text).not.toContain('secret-input');
    expect(calls()).toBe(0);
  });

  it('validates the query string with "query" paths', async () => {
    const { app } = appWithValidation();
    expect((await app.request('/journal?type=key.created&limit=10')).status).toBe(200);
    const res = await app.request('/journal?type=not.a.type&limit=0&extra=1');
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors.map((e: { path: string; in: string }) => `${e.in}:${e.path}`).sort()).toEqual([
      'query:',
      'query:limit',
      'query:type',
    ]);
  });

  it('lets errors thrown by the handler reach onError', async () => {
    const { app } = appWithValidation();
    const res = await app.request('/boom', post(JSON.stringify({ name: 'k' })));
    expect(res.status).toBe(599);
    expect(await res.text()).toBe('onError:from the handler');
  });
});

describe('schemas', () => {
  it('bounds key lifetimes to 1095 days', () => {
    expect(durationMs('30d')).toBe(30 * 86_400_000);
    expect(keyCreateSchema.safeParse({ name: 'ci', expiresIn: '1095d' }).success).toBe(true);
    expect(keyCreateSchema.safeParse({ name: 'ci', expiresIn: '1096d' }).success).toBe(false);
    expect(keyCreateSchema.safeParse({ name: 'ci', scopes: ['root'] }).success).toBe(false);
  });

  it('only accepts DNS-label agent names', () => {
    for (const bad of ['A', 'a', '-x', 'x-', 'x.y', 'x_y', 'a'.repeat(64)]) {
      expect(agentCreateSchema.safeParse({ name: bad }).success).toBe(false);
    }
    expect(agentCreateSchema.safeParse({ name: 'support-bot-2' }).success).toBe(true);
  });
});

describe('OpenAPI document', () => {
  const doc = buildOpenApiDocument({ apiDomain: 'api.example.com' }) as {
    openapi: string;
    paths: Record<string, Record<string, Record<string, unknown>>>;
    servers: { url: string }[];
  };

  it('is OpenAPI 3.1 and has every SPEC §21 route', () => {
    expect(doc.openapi).toBe('3.1.0');
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    for (const route of [
      'GET /api/v1/status',
      'GET /api/v1/me',
      'GET /api/v1/agents',
      'POST /api/v1/agents',
      'GET /api/v1/agents/{name}',
      'PATCH /api/v1/agents/{name}',
      'DELETE /api/v1/agents/{name}',
      'POST /api/v1/agents/{name}/deploy',
      'GET /api/v1/keys',
      'POST /api/v1/keys',
      'DELETE /api/v1/keys/{id}',
      'GET /api/v1/config',
      'POST /api/v1/chat',
      'GET /api/v1/journal',
    ]) {
      expect(routes).toContain(route);
    }
    expect(doc.servers.map((s) => s.url)).toContain('https://{agent}.{account}.api.example.com');
  });

  it('generates request bodies from the validation schemas (strict, with limits)', () => {
    const create = doc.paths['/api/v1/agents']?.['post'] as {
      requestBody: { content: { 'application/json': { schema: Record<string, unknown> } } };
      security: unknown[];
    };
    const schema = create.requestBody.content['application/json'].schema;
    expect(schema['additionalProperties']).toBe(false);
    expect(schema['required']).toEqual(['name']);
    expect((schema['properties'] as Record<string, { pattern?: string }>)['name']?.pattern).toBeDefined();
    expect(create.security).toEqual([{ apiKey: [] }, { session: [] }]);
    expect(doc.paths['/api/v1/status']?.['get']?.['security']).toEqual([]);
  });

  it('is served as JSON', async () => {
    const app = new Hono().route('/api/v1', openApiRoutes());
    const res = await app.request('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await res.json()).openapi).toBe('3.1.0');
  });
});
