import { type Context, type ErrorHandler, Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import { LinearRouter } from 'hono/router/linear-router';
import { PatternRouter } from 'hono/router/pattern-router';
import { TrieRouter } from 'hono/router/trie-router';
import { describe, expect, it } from 'vitest';
import { createJournal } from '../journal/journal.ts';
import type { Store } from '../store/store.ts';
import { memoryStore } from '../stores/memory/memory-store.ts';
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
  app.get('/api/v1/next-twice', async (_c: Context, next) => {
    await next();
    await next();
  });
  app.get('/api/v1/set-then-next', async (c: Context, next) => {
    c.res = c.json({ set: true });
    await next();
  });
  app.get('/api/v1/throw-string', () => {
    throw 'not an Error';
  });
  app.get('/api/v1/http-exception', () => {
    throw new HTTPException(418, { message: 'teapot' });
  });
  // A promise that is not a native one (another realm's, a promise library's): awaited, not taken for an answer.
  app.get('/api/v1/thenable', ((c: Context) => ({
    // biome-ignore lint/suspicious/noThenProperty: the point is a thenable that is not a Promise
    then: (resolve: (r: Response) => void) => resolve(c.json({ thenable: true })),
  })) as never);
  app.get('/api/v1/with-middleware', tag, (c) => c.json({ wrapped: true }));
  // Route middleware of every shape, run inside the fused layer as Hono's composition runs them.
  const seesRoute: MiddlewareHandler = async (c, next) => {
    log.push(`middleware sees ${routePath(c)} ${c.req.param('id')}`);
    await next();
    c.header('x-seen', String(c.res.status));
  };
  const second: MiddlewareHandler = async (c, next) => {
    log.push('second middleware');
    c.set('second' as never, 'yes' as never);
    await next();
  };
  app.get('/api/v1/chain/:id', seesRoute, second, (c) =>
    c.json({ id: c.req.param('id'), all: c.req.param(), path: routePath(c), second: c.get('second' as never) }),
  );
  app.get(
    '/api/v1/chain-answers',
    seesRoute,
    (c) => c.json({ early: true }, 401),
    tag,
    (c) => c.json({ never: c.req.path }),
  );
  app.get('/api/v1/chain-throws', seesRoute, () => {
    throw new Error('middleware failure with secret=hunter2');
  });
  app.get('/api/v1/chain-throws-http', tag, () => {
    throw new HTTPException(418, { message: 'teapot' });
  });
  app.get('/api/v1/chain-throws-string', tag, () => {
    throw 'not an Error';
  });
  app.get(
    '/api/v1/chain-next-twice',
    async (_c: Context, next) => {
      await next();
      await next();
    },
    (c) => c.json({ twice: true }),
  );
  app.get('/api/v1/chain-handler-throws', seesRoute, async () => {
    await Promise.resolve();
    throw new Error('handler failure behind middleware');
  });
  app.get('/api/v1/chain-handler-next', tag, (_c: Context, next) => next());
  app.get('/api/v1/chain-nothing', tag, (() => undefined) as never);
  app.get(
    '/api/v1/chain-sync',
    (_c: Context, next) => next(),
    (c) => c.json({ sync: true }),
  );
  app.get(
    '/api/v1/chain-catches',
    async (c: Context, next) => {
      await next();
      if (c.error) c.res = c.json({ caught: c.error.message.length }, 500);
    },
    () => {
      throw new Error('caught by the route middleware');
    },
  );
  app.get('/api/v1/chain-returns-next', (_c: Context, next) => next(), (() => undefined) as never);
  // Bodies make a phase wait (the JSON body check reads the stream): the handler's `next` must be guarded there too.
  app.post(
    '/api/v1/chain-post',
    async (c: Context, next) => {
      c.res = c.json({ set: 'by middleware' }, 201);
      await next();
    },
    (_c: Context, next) => next(),
  );
  app.post('/api/v1/set-then-next-post', async (c: Context, next) => {
    c.res = c.json({ set: true });
    await next();
  });
  app.post('/api/v1/next-twice-post', async (_c: Context, next) => {
    await next();
    await next();
  });
  app.post('/api/v1/chain-echo/:id', seesRoute, async (c) =>
    c.json({ id: c.req.param('id'), body: await c.req.json() }),
  );
  app.on(['GET', 'POST'], '/api/v1/on', tag, (c) => c.json({ on: c.req.method }));
  // Middleware for a wider path or another method than its route: left to Hono's composition.
  app.use('/api/v1/mixed/*', tag);
  app.get('/api/v1/mixed/:id', (c) => c.json({ mixed: c.req.param('id'), path: routePath(c) }));
  app.all('/api/v1/all-then-get', tag);
  app.get('/api/v1/all-then-get', (c) => c.json({ path: routePath(c) }));
  // A sub-app with route middleware, params of its mount path, and an error handler of its own.
  const tenant = new Hono();
  tenant.onError((_e, c) => c.json({ tenantError: true }, 409));
  tenant.get('/:id', seesRoute, (c) => c.json({ tenant: c.req.param('tenant'), id: c.req.param('id') }));
  tenant.get('/:id/throws', tag, () => {
    throw new Error('tenant failure');
  });
  app.route('/api/v1/t/:tenant', tenant);
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

interface BuildOptions {
  readonly trie?: boolean;
  readonly linear?: boolean;
  readonly pattern?: boolean;
  readonly appError?: ErrorHandler;
  readonly store?: Store;
  /** A fresh store per app that reads nothing in-process: every ban check waits, so every phase takes the async path. */
  readonly remote?: boolean;
}

/** A memory store seen through a wrapper without `getNow` (as a Redis or SQL store is). */
function remoteStore(): Store {
  const memory = memoryStore();
  return {
    increment: (k, w) => memory.increment(k, w),
    get: (k) => memory.get(k),
    set: (k, v, t) => memory.set(k, v, t),
    setIfAbsent: (k, v, t) => memory.setIfAbsent(k, v, t),
    delete: (k) => memory.delete(k),
  };
}

function build(mount: 'install' | 'middleware', options: BuildOptions = {}) {
  const log: string[] = [];
  const security = smarter({
    secretKeys: [KEY],
    journal: createJournal({ sinks: [] }),
    hosts: { hosts: ['localhost'] },
    https: { redirect: false, hsts: false },
    ...(options.store ? { store: options.store } : {}),
    ...(options.remote ? { store: remoteStore() } : {}),
  });
  const router = options.trie
    ? new TrieRouter()
    : options.linear
      ? new LinearRouter()
      : options.pattern
        ? new PatternRouter()
        : undefined;
  const app = router ? new Hono({ router: router as never }) : new Hono();
  if (mount === 'install') security.install(app);
  else {
    app.use(security.middleware);
    app.post('/csp-report', security.cspReport);
    app.notFound(security.notFound(app));
    app.onError(security.onError);
  }
  routes(app, log);
  if (options.appError) app.onError(options.appError);
  return { app, log };
}

/** An app error handler that renders only HTTP exceptions and rethrows the rest (a common pattern). */
const httpOnly: ErrorHandler = (error, c) => {
  if (error instanceof HTTPException) return c.json({ http: error.status }, error.status);
  throw error;
};

const JSON_HEADERS = { 'content-type': 'application/json', authorization: 'Bearer x' };

const REQUESTS: ReadonlyArray<readonly [string, string, RequestInit?]> = [
  ['GET', '/api/v1/hello'],
  ['HEAD', '/api/v1/hello'],
  ['GET', '/api/v1/async'],
  ['GET', '/api/v1/items/42'],
  ['GET', '/api/v1/throw'],
  ['GET', '/api/v1/throw-async'],
  ['GET', '/api/v1/nothing'],
  ['GET', '/api/v1/next'],
  ['GET', '/api/v1/next-twice'],
  ['GET', '/api/v1/set-then-next'],
  ['GET', '/api/v1/throw-string'],
  ['GET', '/api/v1/http-exception'],
  ['GET', '/api/v1/thenable'],
  ['HEAD', '/api/v1/no-such-route'],
  ['HEAD', '/api/v1/throw'],
  ['GET', '/api/v1/with-middleware'],
  ['GET', '/api/v1/chain/7'],
  ['HEAD', '/api/v1/chain/7'],
  ['GET', '/api/v1/chain-answers'],
  ['GET', '/api/v1/chain-throws'],
  ['GET', '/api/v1/chain-throws-http'],
  ['GET', '/api/v1/chain-throws-string'],
  ['GET', '/api/v1/chain-next-twice'],
  ['GET', '/api/v1/chain-handler-throws'],
  ['GET', '/api/v1/chain-handler-next'],
  ['GET', '/api/v1/chain-nothing'],
  ['GET', '/api/v1/chain-sync'],
  ['GET', '/api/v1/chain-catches'],
  ['GET', '/api/v1/mixed/9'],
  ['GET', '/api/v1/chain-returns-next'],
  ['POST', '/api/v1/chain-post', { body: '{"a":1}', headers: JSON_HEADERS }],
  ['POST', '/api/v1/set-then-next-post', { body: '{"a":1}', headers: JSON_HEADERS }],
  ['POST', '/api/v1/next-twice-post', { body: '{"a":1}', headers: JSON_HEADERS }],
  ['POST', '/api/v1/chain-echo/5', { body: '{"a":[1,2]}', headers: JSON_HEADERS }],
  ['POST', '/api/v1/chain-echo/5', { body: '{"a":', headers: JSON_HEADERS }],
  ['GET', '/api/v1/on'],
  ['POST', '/api/v1/on', { body: '{}', headers: JSON_HEADERS }],
  ['GET', '/api/v1/all-then-get'],
  ['GET', '/api/v1/t/acme/42'],
  ['GET', '/api/v1/t/acme/42/throws'],
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

/** The observed response, or what was thrown (synchronously or as a rejection). */
async function outcome(send: () => Response | Promise<Response>) {
  try {
    return await observe(await send());
  } catch (error) {
    return { threw: String(error) };
  }
}

describe('fused routes (install) behave exactly as the preset mounted as middleware', () => {
  const variants: ReadonlyArray<readonly [string, BuildOptions]> = [
    ['default router', {}],
    ['TrieRouter', { trie: true }],
    ['an app onError that rethrows', { appError: httpOnly }],
    ['a store without an in-process read (phases wait)', { remote: true }],
    ['LinearRouter', { linear: true }],
    ['PatternRouter', { pattern: true }],
  ];
  const cases = variants.flatMap(([variant, options]) =>
    REQUESTS.map(([method, path, init]) => ({ variant, options, method, path, init: init ?? {} })),
  );
  it.each(cases)('$variant: $method $path', async ({ options, method, path, init }) => {
    const fused = build('install', options);
    const plain = build('middleware', options);
    const request = () => new Request(`http://localhost${path}`, { method, ...init });
    // Twice on the same app: the second request takes the cached fused route.
    for (let i = 0; i < 2; i++) {
      const a = await outcome(() => fused.app.request(request()));
      const b = await outcome(() => plain.app.request(request()));
      expect(a).toEqual(b);
      if ('threw' in a) continue; // an app error handler that rethrows Hono's own error: both modes throw it
      expect(a.status).toBeGreaterThanOrEqual(200);
      if (method !== 'HEAD') expect(a.headers.map(([name]) => name)).toContain('x-frame-options');
    }
    expect(fused.log).toEqual(plain.log);
  });

  it('gives each request its own params on a cached fused route', async () => {
    for (const options of [{}, { trie: true }]) {
      const { app } = build('install', options);
      expect(await (await app.request('/api/v1/items/1')).json()).toEqual({ id: '1', all: { id: '1' } });
      expect(await (await app.request('/api/v1/items/2')).json()).toEqual({ id: '2', all: { id: '2' } });
      expect(await (await app.request('/api/v1/sub/bo')).json()).toEqual({ sub: 'bo' });
    }
  });

  it('takes the asynchronous path, with the same answers, over a store without an in-process read', async () => {
    const memory = memoryStore();
    const remote: Store = {
      increment: (k, w) => memory.increment(k, w),
      get: (k) => memory.get(k),
      set: (k, v, t) => memory.set(k, v, t),
      setIfAbsent: (k, v, t) => memory.setIfAbsent(k, v, t),
      delete: (k) => memory.delete(k),
    };
    const { app } = build('install', { store: remote });
    const res = app.fetch(new Request('http://localhost/api/v1/hello'));
    expect(res).toBeInstanceOf(Promise);
    expect((await res).status).toBe(200);
    await memory.set('smarter:ban:unknown', String(Date.now() + 60_000), 60_000);
    const banned = await app.request('/api/v1/hello');
    expect(banned.status).toBe(403);
    expect(await banned.json()).toMatchObject({ code: 'CLIENT_BANNED' });
  });

  it('fails closed when a store spread from the memory store overrides get with a failing one', async () => {
    const broken: Store = { ...memoryStore(), get: () => Promise.reject(new Error('down')) };
    expect('getNow' in broken).toBe(false);
    const { app, log } = build('install', { store: broken });
    const res = await app.request('/api/v1/with-middleware');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect((await app.request('/api/v1/hello')).status).toBe(503);
    expect(log).toEqual([]);
  });

  it('fuses a route with its own middleware, and leaves middleware of another path or method to Hono', () => {
    for (const options of [{}, { trie: true }]) {
      const { app } = build('install', options);
      expect(app.router.match('GET', '/api/v1/hello')[0]).toHaveLength(1);
      expect(app.router.match('GET', '/api/v1/no-such-route')[0]).toHaveLength(1);
      expect(app.router.match('GET', '/api/v1/with-middleware')[0]).toHaveLength(1);
      expect(app.router.match('GET', '/api/v1/chain/1')[0]).toHaveLength(1);
      expect(app.router.match('GET', '/api/v1/chain-answers')[0]).toHaveLength(1);
      expect(app.router.match('GET', '/api/v1/mixed/1')[0]).toHaveLength(3);
    }
    expect(build('middleware').app.router.match('GET', '/api/v1/hello')[0]).toHaveLength(2);
  });

  it('runs a fused route middleware with the params and route path it has under Hono', async () => {
    for (const options of [{}, { trie: true }]) {
      const { app, log } = build('install', options);
      for (const id of ['1', '2']) {
        const res = await app.request(`/api/v1/chain/${id}`);
        expect(res.headers.get('x-seen')).toBe('200');
        expect(await res.json()).toEqual({ id, all: { id }, path: '/api/v1/chain/:id', second: 'yes' });
      }
      expect(log).toEqual([
        'middleware sees /api/v1/chain/:id 1',
        'second middleware',
        'middleware sees /api/v1/chain/:id 2',
        'second middleware',
      ]);
    }
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
