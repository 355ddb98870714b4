/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { echoProvider } from '../providers/echo.ts';
import { AgentPage } from './pages/agent.tsx';
import { DashboardPage } from './pages/dashboard.tsx';
import { JournalPage } from './pages/journal.tsx';
import { KeysPage } from './pages/keys.tsx';
import { LoginPage } from './pages/login.tsx';
import { PasswordPage } from './pages/password.tsx';
import {
  SAMPLE_AGENTS,
  SAMPLE_CONTEXT,
  SAMPLE_EVENT_TYPES,
  SAMPLE_EVENTS,
  SAMPLE_KEYS,
  SAMPLE_PROVIDERS,
} from './sample-data.ts';
import { workbenchStaticRoutes } from './static-routes.ts';
import type { PageContext } from './types.ts';

/** The CSP of workbench pages (SPEC §7): nonce'd scripts and styles, nothing inline, nothing third-party. */
export function workbenchCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Every workbench page rendered with sample data, under the workbench CSP, for screenshots and design work.
 * Not mounted by the server. The preview chat answers with the echo provider and checks the CSRF header.
 */
export function workbenchPreviewApp(): Hono {
  const app = new Hono();
  app.route('/static', workbenchStaticRoutes());
  app.use('*', async (c, next) => {
    await next();
    if (c.res.headers.get('content-type')?.startsWith('text/html')) {
      c.res.headers.set('content-security-policy', workbenchCsp(SAMPLE_CONTEXT.nonce));
      c.res.headers.set('cache-control', 'private, no-store');
    }
  });
  const ctx: PageContext = SAMPLE_CONTEXT;
  const member: PageContext = { ...ctx, user: ctx.user ? { ...ctx.user, role: 'member' } : undefined };
  const agent = SAMPLE_AGENTS[0];
  if (!agent) throw new Error('sample agents are empty');
  app.get('/login', (c) => c.html(<LoginPage ctx={{ ...ctx, user: undefined }} providers={SAMPLE_PROVIDERS} />));
  app.get('/login-failed', (c) =>
    c.html(
      <LoginPage
        ctx={{ ...ctx, user: undefined }}
        providers={SAMPLE_PROVIDERS}
        email="ada@example.com"
        error="Those credentials are not valid."
      />,
    ),
  );
  app.get('/', (c) =>
    c.html(
      <DashboardPage
        ctx={ctx}
        agents={SAMPLE_AGENTS}
        apiDomain="api.example.com"
        flash={{ kind: 'success', message: 'Agent hr-handbook created.' }}
      />,
    ),
  );
  app.get('/empty', (c) => c.html(<DashboardPage ctx={member} agents={[]} apiDomain="api.example.com" />));
  app.get(`/agents/${agent.name}`, (c) => c.html(<AgentPage ctx={ctx} agent={agent} chatEndpoint="/preview/chat" />));
  app.get('/keys', (c) => c.html(<KeysPage ctx={ctx} keys={SAMPLE_KEYS} />));
  app.get('/keys/created', (c) =>
    c.html(
      <KeysPage
        ctx={ctx}
        keys={SAMPLE_KEYS}
        created={{ name: 'production-widget', key: 'smarter_k_7Hq2_Xw3bT9vLq0ZpR8sN1mYc4eU6aK2dF5gH7jQ9x9Qa' }}
      />,
    ),
  );
  app.get('/journal', (c) =>
    c.html(
      <JournalPage
        ctx={ctx}
        events={SAMPLE_EVENTS}
        types={SAMPLE_EVENT_TYPES}
        filter={{ type: undefined, principal: undefined }}
        nextCursor="older"
      />,
    ),
  );
  app.get('/account/password', (c) =>
    c.html(<PasswordPage ctx={ctx} errors={['This password is too common.', 'This password is entirely numeric.']} />),
  );
  app.post('/preview/chat', async (c) => {
    if (c.req.header('x-csrftoken') !== ctx.csrfToken) return c.json({ title: 'CSRF check failed' }, 403);
    const body = (await c.req.json()) as { messages: { role: 'user' | 'assistant'; content: string }[] };
    const reply = await echoProvider().chat({ messages: body.messages });
    return c.json({ choices: [{ index: 0, message: reply.message, finish_reason: 'stop' }] });
  });
  return app;
}
