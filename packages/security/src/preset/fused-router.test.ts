import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { describe, expect, it } from 'vitest';
import { createJournal } from '../journal/journal.ts';
import { smarter } from './smarter.ts';

const KEY = 'k'.repeat(32);

/** The same routes on an app, whichever way the preset is mounted. */
function routes(app: Hono, log: string[]): void {
  const tag: MiddlewareHandler = async (c, next) => {
    log.push('route middleware');
    await next();
    c.header('x-route-middleware', 'yes');
  };
  app.get('/api/v1/hello', (c) => c.json({ hello: 'world' }));
  app.get('/api/v1/async', async (c) => {
    await new Promise((r) => setTimeout(r, 1));
    return c.json({ async: true }, 201);
  });
  app.get('/api/v1/items/:id', (c) => c.json({ id: c.req.param('id'), all: c.req.param() }));
  app.get('/api/v1/throw', () => {
    throw new Error('sync failure with secret=hunter2');
  });
  app.get('/api/v1/throw-async', async () => {
    await Promise.resolve();
    throw new Error('async failure with secret=hunter2');
  });
  app.get('/api/v1/nothing', (() => undefined) as never);
  app.get('/api/v1/next', (_c: Context, next) => next());
  app.get('/api/v1/with-middleware', tag, (c) => c.json({ wrapped: true }));
  app.get('/api/v1/header-first', (c) => {
    c.header('x-handler', 'set');
    c.status(202);
    return c.json({ ok: true });
  });
  app.get('/api/v1/redirect', (c) => c.redirect('/api/v1/hello', 302));
  app.get('/api/v1/immutable', () => Response.redirect('http://localhost/api/v1/hello', 307));
  app.get('/page', (c) => c.html(`<script nonce="${c.get('cspNonce' as never)}">1</script>`));
  app.post('/api/v1/echo', async (c) => c.json(await c.req.json()));
  const sub = new Hono();
  sub.get('/:name', (c) => c.json({ sub: c.req.param('name') }));
  app.route('/api/v1/sub', sub);
}

function build(mount: 'install' | 'middleware') {
  const log: string[] = [];
  const security = smarter({
    secretKeys: [KEY],
    journal: createJournal({ sinks: [] }),
    hosts: { hosts: ['localhost'] },
    https: { redirect: false, hsts: false },
  });
  const app = new Hono();
  if (mount === 'install') security.install(app);
  else {
    app.use(security.middleware);
    app.post('/csp-report', security.cspReport);
    app.notFound(security.notFound(app));
    app.onError(security.onError);
  }
  routes(app, log);
  return { app, log };
}

const REQUESTS: ReadonlyArray<readonly [string, string, RequestInit?]> = [
  ['GET', '/api/v1/hello'],
  ['HEAD', '/api/v1/hello'],
  ['GET', '/api/v1/async'],
  ['GET', '/api/v1/items/42'],
  ['GET', '/api/v1/throw'],
  ['GET', '/api/v1/throw-async'],
  ['GET', '/api/v1/nothing'],
  ['GET', '/api/v1/next'],
  ['GET', '/api/v1/with-middleware'],
  ['GET', '/api/v1/header-first'],
  ['GET', '/api/v1/redirect'],
  ['GET', '/api/v1/immutable'],
  ['GET', '/page'],
  ['GET', '/api/v1/sub/ada'],
  ['GET', '/api/v1/no-such-route'],
  ['DELETE', '/api/v1/hello'],
  ['GET', '/.env'],
  ['GET', '/api/v1/hello', { headers: { host: 'evil.example' } }],
  ['PUT', '/api/v1/items/1'],
  [
    'POST',
    '/api/v1/echo',
    { body: '{"a":1}', headers: { 'content-type': 'application/json', authorization: 'Bearer x' } },
  ],
  ['POST', '/api/v1/echo', { body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
  [
    'POST',
    '/api/v1/echo',
    { body: '{"a":', headers: { 'content-type': 'application/json', authorization: 'Bearer x' } },
  ],
  ['OPTIONS', '/api/v1/hello', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT' } }],
];

/** Status, body and headers of a response, with the per-request values (ids, nonces) normalised. */
async function observe(res: Response) {
  const headers = [...res.headers.entries()]
    .filter(([name]) => name !== 'x-request-id')
    .map(([name, value]) => [name, value.replace(/nonce-[^']+/g, 'nonce-N')]);
  const body = (await res.text())
    .replace(/nonce="[^"]+"/g, 'nonce="N"')
    .replace(/"requestId":"[^"]+"/g, '"requestId":"R"');
  return { status: res.status, headers, body };
}

describe('fused routes (install) behave exactly as the preset mounted as middleware', () => {
  const cases = REQUESTS.map(([method, path, init]) => ({ method, path, init: init ?? {} }));
  it.each(cases)('$method $path', async ({ method, path, init }) => {
    const fused = build('install');
    const plain = build('middleware');
    const request = () => new Request(`http://localhost${path}`, { method, ...init });
    const a = await observe(await fused.app.request(request()));
    const b = await observe(await plain.app.request(request()));
    expect(a).toEqual(b);
    expect(fused.log).toEqual(plain.log);
    expect(a.status).toBeGreaterThanOrEqual(200);
    expect(a.headers.map(([name]) => name)).toContain('x-frame-options');
  });

  it('fuses a route with no middleware of its own, and leaves one with route middleware to Hono', () => {
    const { app } = build('install');
    expect(app.router.match('GET', '/api/v1/hello')[0]).toHaveLength(1);
    expect(app.router.match('GET', '/api/v1/no-such-route')[0]).toHaveLength(1);
    expect(app.router.match('GET', '/api/v1/with-middleware')[0]).toHaveLength(3);
    expect(build('middleware').app.router.match('GET', '/api/v1/hello')[0]).toHaveLength(2);
  });

  it('answers a synchronous handler without a promise (the adapter keeps its synchronous path)', async () => {
    const { app } = build('install');
    const res = app.fetch(new Request('http://localhost/api/v1/hello'));
    expect(res).toBeInstanceOf(Response);
    expect(await (res as Response).json()).toEqual({ hello: 'world' });
    expect(build('middleware').app.fetch(new Request('http://localhost/api/v1/hello'))).toBeInstanceOf(Promise);
  });

  it("renders a fused handler's error with the app's current error handler", async () => {
    const { app } = build('install');
    app.onError((_e, c) => c.json({ custom: true }, 418));
    const res = await app.request('/api/v1/throw');
    expect(res.status).toBe(418);
    expect(await res.json()).toEqual({ custom: true });
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});
