/** @jsxImportSource hono/jsx */
import { JOURNAL_EVENT_TYPES, PROBLEM_CONTENT_TYPE, problemBody } from '@smarter/security';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { agentName, chatRequestSchema, KEY_SCOPES } from '../openapi/schemas.ts';
import { validate } from '../openapi/validator.ts';
import { ProviderError } from '../providers/errors.ts';
import { formFields as form } from './form-fields.ts';
import { AgentPage } from './pages/agent.tsx';
import { DashboardPage } from './pages/dashboard.tsx';
import { JournalPage } from './pages/journal.tsx';
import { KeysPage } from './pages/keys.tsx';
import { LoginPage } from './pages/login.tsx';
import { PasswordPage } from './pages/password.tsx';
import { passwordLinkRoutes } from './password-link-routes.tsx';
import type { WorkbenchPorts, WorkbenchSessionUser } from './ports.ts';
import type { Flash, PageContext } from './types.ts';

/** Options of {@link workbenchRoutes}. */
export interface WorkbenchRoutesOptions {
  readonly ports: WorkbenchPorts;
  /** `SMARTER_STATIC_URL`. @default '/static/' */
  readonly staticUrl?: string;
  /** `SMARTER_API_DOMAIN`, shown in the agent form. */
  readonly apiDomain?: string | undefined;
  /** `SMARTER_COOKIE_SECURE`: the emailed links' token cookie is Secure (`__Secure-`). @default true */
  readonly cookieSecure?: boolean;
}

const FLASHES: Readonly<Record<string, Flash>> = {
  created: { kind: 'success', message: 'Agent created.' },
  deployed: { kind: 'success', message: 'Agent deployed on its own hostname.' },
  undeployed: { kind: 'info', message: 'Agent undeployed: its hostname no longer answers.' },
  deleted: { kind: 'info', message: 'Agent deleted.' },
  revoked: { kind: 'success', message: 'Key revoked. Requests using it now fail.' },
  password: { kind: 'success', message: 'Password changed. Other sessions were signed out.' },
  taken: { kind: 'error', message: 'An agent with this name already exists.' },
  invalid: { kind: 'error', message: 'Please check the form: some fields are invalid.' },
};

/** Notices of the sign-in page, after a password was set through an emailed link. */
const LOGIN_NOTICES: Readonly<Record<string, Flash>> = {
  'password-reset': { kind: 'success', message: 'Your password was changed and every session signed out. Sign in.' },
  activated: { kind: 'success', message: 'Your password is set. Sign in.' },
};

/** A same-site local path only (no scheme, no `//host`, no backslashes): open redirects are impossible. */
export function safeNext(value: string | undefined): string {
  return value && /^\/(?![/\\])[\w\-./?=&%]*$/.test(value) ? value : '/';
}

const loginForm = z.object({
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(1024),
  next: z.string().max(2048).optional(),
});
const agentForm = z.object({
  name: agentName,
  description: z.string().max(500).default(''),
  provider: z.enum(['echo', 'openai']).default('echo'),
  deployed: z.literal('true').optional(),
});
const keyForm = z.object({
  name: z.string().min(1).max(100),
  scopes: z.union([z.enum(KEY_SCOPES), z.array(z.enum(KEY_SCOPES)).max(KEY_SCOPES.length)]).optional(),
  expiresIn: z.enum(['30d', '90d', '365d']).default('365d'),
});
const passwordForm = z.object({
  current_password: z.string().min(1).max(1024),
  new_password: z.string().min(1).max(1024),
  new_password_confirm: z.string().min(1).max(1024),
});
const journalQuery = z.object({
  type: z.enum(JOURNAL_EVENT_TYPES).optional().catch(undefined),
  principal: z
    .string()
    .regex(/^[A-Za-z0-9_:@.-]{1,100}$/)
    .optional()
    .catch(undefined),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/)
    .optional()
    .catch(undefined),
});

function problem(status: number, code: string, title: string): Response {
  return new Response(JSON.stringify(problemBody({ status, code, title })), {
    status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' },
  });
}

/**
 * The workbench (server-rendered pages of the platform host): `/` (login or dashboard), `POST /login`,
 * `POST /logout`, agents, keys (created keys shown once), journal (admins), change password, and with
 * `ports.passwords` the forgotten-password and emailed-link pages (`/password-reset`, `/reset`, `/activate`). Forms
 * post back here and redirect (303) after success; CSRF is checked upstream by the security layer for every unsafe
 * request.
 *
 * @example
 * app.route('/', workbenchRoutes({ ports, staticUrl: config.staticUrl, apiDomain: config.apiDomain }));
 */
export function workbenchRoutes(options: WorkbenchRoutesOptions): Hono {
  const { ports } = options;
  const staticUrl = options.staticUrl ?? '/static/';
  const app = new Hono();

  const pageContext = async (c: Context, user?: WorkbenchSessionUser): Promise<PageContext> => ({
    ...(await ports.requestTokens(c)),
    staticUrl,
    user,
  });
  const flashOf = (c: Context): Flash | undefined => FLASHES[c.req.query('done') ?? ''];
  const forgotHref = ports.passwords?.emailEnabled ? '/password-reset' : undefined;
  const toLogin = (c: Context) => c.redirect(`/?next=${encodeURIComponent(c.req.path)}`, 303);
  const html = (c: Context, node: unknown, status: 200 | 400 | 401 | 404 | 429 | 503 = 200) => {
    c.header('cache-control', 'private, no-store');
    return c.html(node as string, status);
  };

  app.get('/', async function home(c) {
    const user = await ports.currentUser(c);
    if (!user) {
      return html(
        c,
        <LoginPage
          ctx={await pageContext(c)}
          providers={ports.oauthProviders}
          next={safeNext(c.req.query('next'))}
          notice={LOGIN_NOTICES[c.req.query('done') ?? '']}
          forgotHref={forgotHref}
        />,
      );
    }
    const agents = await ports.agents.list(user);
    return html(
      c,
      <DashboardPage
        ctx={await pageContext(c, user)}
        agents={agents}
        apiDomain={options.apiDomain}
        flash={flashOf(c)}
      />,
    );
  });

  app.post('/login', async function login(c) {
    const parsed = loginForm.safeParse(await form(c));
    const next = safeNext(parsed.success ? parsed.data.next : undefined);
    const result = parsed.success ? await ports.login(c, parsed.data.email, parsed.data.password) : undefined;
    if (result?.ok) return c.redirect(next, 303);
    // A lock is 429 with Retry-After (SPEC §14). It says nothing of whether the account exists: unknown emails are
    // counted and locked the same way. Every other failure (unknown user, wrong password, bad form) is one 401.
    const throttled = result?.ok === false && result.code === 'LOGIN_THROTTLED' ? result : undefined;
    if (throttled) c.header('retry-after', String(throttled.retryAfterSeconds));
    return html(
      c,
      <LoginPage
        ctx={await pageContext(c)}
        providers={ports.oauthProviders}
        error={throttled ? 'Too many failed sign-ins. Try again later.' : 'Those credentials are not valid.'}
        email={parsed.success ? parsed.data.email : undefined}
        next={next}
        forgotHref={forgotHref}
      />,
      throttled ? 429 : 401,
    );
  });

  const oauthEnabled = (id: string) => ports.oauth !== undefined && ports.oauthProviders.some((p) => p.id === id);

  app.get('/auth/oauth/:provider', async function oauthStart(c) {
    const id = c.req.param('provider');
    if (!ports.oauth || !oauthEnabled(id)) return c.notFound();
    return ports.oauth.start(c, id);
  });

  app.get('/auth/oauth/:provider/callback', async function oauthCallback(c) {
    const id = c.req.param('provider');
    if (!ports.oauth || !oauthEnabled(id)) return c.notFound();
    if (await ports.oauth.callback(c, id)) return c.redirect('/', 303);
    // One answer for every failure (state, provider, unverified email, closed registration): the journal has why.
    return html(
      c,
      <LoginPage
        ctx={await pageContext(c)}
        providers={ports.oauthProviders}
        error="That sign-in did not work."
        next="/"
      />,
      400,
    );
  });

  app.post('/logout', async function logout(c) {
    await ports.logout(c);
    return c.redirect('/', 303);
  });

  app.post('/agents', async function createAgent(c) {
    const user = await ports.currentUser(c);
    if (!user) return toLogin(c);
    const parsed = agentForm.safeParse(await form(c));
    if (!parsed.success) return c.redirect('/?done=invalid', 303);
    const agent = await ports.agents.create(user, {
      name: parsed.data.name,
      description: parsed.data.description,
      provider: parsed.data.provider,
      deployed: parsed.data.deployed === 'true',
    });
    return c.redirect(agent ? `/agents/${agent.name}?done=created` : '/?done=taken', 303);
  });

  app.get('/agents/:name', async function agentDetail(c) {
    const user = await ports.currentUser(c);
    if (!user) return toLogin(c);
    const name = agentName.safeParse(c.req.param('name'));
    const agent = name.success ? await ports.agents.get(user, name.data) : undefined;
    if (!agent) return c.notFound();
    return html(
      c,
      <AgentPage
        ctx={await pageContext(c, user)}
        agent={agent}
        chatEndpoint={`/agents/${agent.name}/chat`}
        flash={flashOf(c)}
      />,
    );
  });

  app.post('/agents/:name/chat', validate('json', chatRequestSchema), async function workbenchChat(c) {
    const user = await ports.currentUser(c);
    if (!user) return problem(401, 'UNAUTHENTICATED', 'Sign in first');
    const name = agentName.safeParse(c.req.param('name'));
    const provider = name.success ? await ports.chatProvider(user, name.data) : undefined;
    if (!provider) return problem(404, 'NOT_FOUND', 'Not found');
    const body = c.req.valid('json');
    try {
      const reply = await provider.chat(
        { messages: body.messages, temperature: body.temperature },
        { signal: c.req.raw.signal },
      );
      c.header('cache-control', 'no-store');
      return c.json({
        object: 'chat.completion',
        model: reply.model,
        provider: reply.provider,
        choices: [{ index: 0, message: reply.message, finish_reason: reply.finishReason }],
      });
    } catch (error) {
      const failure =
        error instanceof ProviderError ? error : new ProviderError('PROVIDER_UNAVAILABLE', { cause: error });
      return problem(failure.status, failure.code, failure.message);
    }
  });

  app.post('/agents/:name/deploy', async function deployAgent(c) {
    const user = await ports.currentUser(c);
    if (!user) return toLogin(c);
    const name = agentName.safeParse(c.req.param('name'));
    const deployed = (await form(c))['deployed'] === 'true';
    if (!name.success || !(await ports.agents.setDeployed(user, name.data, deployed))) return c.notFound();
    return c.redirect(`/agents/${name.data}?done=${deployed ? 'deployed' : 'undeployed'}`, 303);
  });

  app.post('/agents/:name/delete', async function deleteAgent(c) {
    const user = await ports.currentUser(c);
    if (!user) return toLogin(c);
    const name = agentName.safeParse(c.req.param('name'));
    if (!name.success || !(await ports.agents.delete(user, name.data))) return c.notFound();
    return c.redirect('/?done=deleted', 303);
  });

  app.get('/keys', async function keys(c) {
    const user = await ports.currentUser(c);
    if (!user) return toLogin(c);
    return html(c, <KeysPage ctx={await pageContext(c, user)} keys={await ports.keys.list(user)} flash={flashOf(c)} />);
  });

  app.post('/keys', async function createKey(c) {
    const user = await ports.currentUser(c);
    if (!user) return toLogin(c);
    const parsed = keyForm.safeParse(await form(c));
    if (!parsed.success) {
      return html(
        c,
        <KeysPage ctx={await pageContext(c, user)} keys={await ports.keys.list(user)} flash={FLASHES['invalid']} />,
        400,
      );
    }
    const scopes = parsed.data.scopes === undefined ? [] : [parsed.data.scopes].flat();
    const created = await ports.keys.create(user, { name: parsed.data.name, scopes, expiresIn: parsed.data.expiresIn });
    // Rendered, not redirected: the key must never travel in a URL, and it is shown this once.
    return html(c, <KeysPage ctx={await pageContext(c, user)} keys={await ports.keys.list(user)} created={created} />);
  });

  app.post('/keys/:id/revoke', async function revokeKey(c) {
    const user = await ports.currentUser(c);
    if (!user) return toLogin(c);
    const id = c.req.param('id');
    if (!/^[A-Za-z0-9_-]{4,64}$/.test(id) || !(await ports.keys.revoke(user, id))) return c.notFound();
    return c.redirect('/keys?done=revoked', 303);
  });

  app.get('/journal', async function journal(c) {
    const user = await ports.currentUser(c);
    if (!user) return toLogin(c);
    // Members never learn that the page exists.
    if (user.role === 'member') return c.notFound();
    const filter = journalQuery.parse(c.req.query());
    const page = await ports.journal.query(user, filter);
    return html(
      c,
      <JournalPage
        ctx={await pageContext(c, user)}
        events={page.events}
        types={JOURNAL_EVENT_TYPES}
        filter={filter}
        nextCursor={page.nextCursor}
      />,
    );
  });

  app.get('/account/password', async function passwordPage(c) {
    const user = await ports.currentUser(c);
    if (!user) return toLogin(c);
    return html(c, <PasswordPage ctx={await pageContext(c, user)} flash={flashOf(c)} />);
  });

  app.post('/account/password', async function changePassword(c) {
    const user = await ports.currentUser(c);
    if (!user) return toLogin(c);
    const parsed = passwordForm.safeParse(await form(c));
    if (!parsed.success) {
      return html(c, <PasswordPage ctx={await pageContext(c, user)} errors={['Fill in every field.']} />, 400);
    }
    if (parsed.data.new_password !== parsed.data.new_password_confirm) {
      return html(c, <PasswordPage ctx={await pageContext(c, user)} errors={['The two new passwords differ.']} />, 400);
    }
    const result = await ports.changePassword(c, user, parsed.data.current_password, parsed.data.new_password);
    if (!result.ok) return html(c, <PasswordPage ctx={await pageContext(c, user)} errors={result.errors} />, 400);
    return c.redirect('/account/password?done=password', 303);
  });

  if (ports.passwords) passwordLinkRoutes(app, ports.passwords, { html, pageContext, secure: options.cookieSecure });

  return app;
}
