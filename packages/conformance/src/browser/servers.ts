import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createJournal, csrfToken, memorySink, smarter } from '@smarter/security';
import { Hono } from 'hono';

/** A running loopback server. */
export interface Running {
  readonly origin: string;
  close(): Promise<void>;
}

/** What the protected server saw: every request at the door, what reached the handlers, and its journal. */
export interface Observed {
  readonly arrived: Array<{ method: string; path: string; origin: string | null; cookie: boolean }>;
  readonly handled: { form: number; api: number };
  readonly events: ReturnType<typeof memorySink>['events'];
}

function listen(app: Hono, hostname: string): Promise<Running> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname, port: 0 }, (info: AddressInfo) => {
      resolve({
        origin: `http://${hostname}:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/** The protected app on 127.0.0.1: the smarter() preset, a page with a same-origin form, and spy handlers. */
export async function startProtected(): Promise<Running & { readonly observed: Observed }> {
  const sink = memorySink();
  const observed: Observed = { arrived: [], handled: { form: 0, api: 0 }, events: sink.events };
  const app = new Hono();
  app.use(async (c, next) => {
    observed.arrived.push({
      method: c.req.method,
      path: c.req.path,
      origin: c.req.header('origin') ?? null,
      cookie: c.req.header('cookie') !== undefined,
    });
    await next();
  });
  smarter({
    secretKeys: [crypto.randomUUID() + crypto.randomUUID()],
    journal: createJournal({ sinks: [sink] }),
    hosts: { hosts: ['127.0.0.1'] },
    https: { redirect: false, hsts: false },
  }).install(app);
  app.get('/', async (c) => {
    const nonce = c.get('cspNonce' as never) as string;
    const token = await csrfToken(c);
    return c.html(`<!doctype html><html><head><meta name="csrf-token" content="${token}"><title>protected</title></head><body>
<form id="transfer" method="post" action="/spy"><input type="hidden" name="csrfmiddlewaretoken" value="${token}"><input name="amount" value="1"><button id="send" type="submit">Send</button></form>
<script nonce="${nonce}">window.noncedRan = true;</script>
<script>window.unnoncedRan = true;</script>
</body></html>`);
  });
  app.post('/spy', (c) => {
    observed.handled.form += 1;
    return c.text('accepted');
  });
  app.post('/api/spy', (c) => {
    observed.handled.api += 1;
    return c.json({ accepted: true });
  });
  const running = await listen(app, '127.0.0.1');
  return { ...running, observed };
}

/** The attacker's site on `localhost` (another site than 127.0.0.1): auto-submitting forms and scripted fetches. */
export function startAttacker(target: string): Promise<Running> {
  const app = new Hono();
  app.get('/form', (c) => {
    const enctype = c.req.query('enctype') ?? 'application/x-www-form-urlencoded';
    return c.html(`<!doctype html><html><body>
<form id="f" method="post" action="${target}/spy" enctype="${enctype}"><input name="csrfmiddlewaretoken" value="forged"><input name="amount" value="1000"></form>
<script>document.getElementById('f').submit();</script></body></html>`);
  });
  app.get('/fetch', (c) =>
    c.html(`<!doctype html><html><body><script>
window.results = {};
fetch('${target}/spy', { method: 'POST', mode: 'no-cors', credentials: 'include', body: 'amount=1000' })
  .then(() => { window.results.noCors = 'sent'; }, () => { window.results.noCors = 'failed'; });
fetch('${target}/api/spy', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: '{"amount":1000}' })
  .then((r) => { window.results.json = 'status ' + r.status; }, () => { window.results.json = 'blocked'; });
</script></body></html>`),
  );
  return listen(app, 'localhost');
}
