import { existsSync } from 'node:fs';
import { Hono } from 'hono';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoProvider } from '../providers/echo.ts';
import {
  WORKBENCH_ARTIFACTS as ARTIFACTS,
  CHROMIUM,
  type LocalServer,
  launchChromium,
  listenLocally,
} from '../testing/chromium.ts';
import type { WorkbenchPorts } from './ports.ts';
import { workbenchCsp, workbenchPreviewApp } from './preview.tsx';
import { workbenchRoutes } from './routes.tsx';
import { SAMPLE_AGENTS, SAMPLE_CONTEXT, SAMPLE_EVENTS, SAMPLE_KEYS } from './sample-data.ts';
import { workbenchStaticRoutes } from './static-routes.ts';
import type { KeyView } from './types.ts';

/** The workbench routes over in-memory ports, with a cookie session, under the workbench CSP. */
function flowApp(): Hono {
  const keys: KeyView[] = [...SAMPLE_KEYS];
  const user = SAMPLE_CONTEXT.user ? { ...SAMPLE_CONTEXT.user, id: 'u1', accountId: 'a1' } : undefined;
  const signedIn = (cookie: string | undefined) => (cookie ?? '').includes('session=s3cret');
  const ports: WorkbenchPorts = {
    currentUser: async (c) => (signedIn(c.req.header('cookie')) ? user : undefined),
    requestTokens: () => ({ nonce: 'flow-nonce', csrfToken: 'flow-csrf' }),
    login: async (c, email, password) => {
      if (email !== 'ada@example.com' || password !== 'correct horse battery staple') {
        return { ok: false, code: 'INVALID_CREDENTIALS' };
      }
      c.header('set-cookie', 'session=s3cret; Path=/; HttpOnly; SameSite=Lax');
      return { ok: true };
    },
    logout: async (c) => {
      c.header('set-cookie', 'session=; Path=/; Max-Age=0');
    },
    changePassword: async () => ({ ok: true }),
    agents: {
      list: async () => SAMPLE_AGENTS,
      get: async (_, name) => SAMPLE_AGENTS.find((a) => a.name === name),
      create: async () => undefined,
      setDeployed: async () => true,
      delete: async () => true,
    },
    keys: {
      list: async () => keys,
      create: async (_, input) => {
        keys.unshift({
          id: 'k_new1',
          name: input.name,
          lastFour: 'Zz99',
          scopes: input.scopes,
          createdAt: '2026-11-29T04:00:00Z',
          expiresAt: '2027-11-29T04:00:00Z',
          lastUsedAt: null,
          active: true,
        });
        return { name: input.name, key: 'smarter_k_new1_FLOWKEYxxxxxxxxxxxxxxxxxxxxxxxxxxxxZz99' };
      },
      revoke: async () => true,
    },
    journal: { query: async () => ({ events: SAMPLE_EVENTS }) },
    chatProvider: async (_, name) => (SAMPLE_AGENTS.some((a) => a.name === name) ? echoProvider() : undefined),
    oauthProviders: [{ id: 'github', label: 'Continue with GitHub', href: '/auth/oauth/github' }],
  };
  const app = new Hono();
  app.route('/static', workbenchStaticRoutes());
  app.use('*', async (c, next): Promise<Response | undefined> => {
    // Stand-in for the security layer's CSRF check: every unsafe request carries the token (form field or header).
    if (c.req.method === 'POST') {
      const header = c.req.header('x-csrftoken');
      const field = header
        ? undefined
        : (
            await c.req.raw
              .clone()
              .formData()
              .catch(() => undefined)
          )?.get('csrfmiddlewaretoken');
      if ((header ?? field) !== 'flow-csrf') return c.text('CSRF', 403);
    }
    await next();
    if (c.res.headers.get('content-type')?.startsWith('text/html')) {
      c.res.headers.set('content-security-policy', workbenchCsp('flow-nonce'));
    }
    return undefined;
  });
  app.route('/', workbenchRoutes({ ports, apiDomain: 'api.example.com' }));
  return app;
}

if (!existsSync(CHROMIUM)) {
  console.warn(`\n[SKIP] workbench browser tests: ${CHROMIUM} is missing (apt-get install -y chromium)\n`);
} else {
  describe('workbench in Chromium (screenshots in test-artifacts/workbench)', { timeout: 60_000 }, () => {
    let browser: Browser;
    let server: LocalServer;
    let base = '';
    beforeAll(async () => {
      server = await listenLocally(workbenchPreviewApp().fetch);
      base = server.base;
      browser = await launchChromium();
    }, 30_000);
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    async function open(path: string, width = 1280): Promise<{ page: Page; problems: string[] }> {
      const page = await browser.newPage({ viewport: { width, height: 860 } });
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      const res = await page.goto(base + path);
      expect(res?.status()).toBe(200);
      // The stylesheet really applied under the CSP (the sidebar or the auth card is styled).
      await page.waitForLoadState('load');
      return { page, problems };
    }

    it.each([
      ['login', '/login'],
      ['login-failed', '/login-failed'],
      ['dashboard', '/'],
      ['dashboard-empty', '/empty'],
      ['keys', '/keys'],
      ['key-created', '/keys/created'],
      ['journal', '/journal'],
      ['password', '/account/password'],
    ])('%s renders under the strict CSP without errors', async (name, path) => {
      const { page, problems } = await open(path);
      const styled = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
      expect(styled).toContain('Inter');
      const inline = await page.evaluate(
        () =>
          [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on')))
            .length,
      );
      expect(inline).toBe(0);
      const unlabeled = await page.evaluate(
        () =>
          [...document.querySelectorAll('input:not([type=hidden]), select')].filter(
            (el) => !el.closest('label') && !document.querySelector(`label[for="${el.id}"]`),
          ).length,
      );
      expect(unlabeled).toBe(0);
      await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
      expect(problems).toEqual([]);
      await page.close();
    });

    it('chats on the agent page: the script posts JSON with the CSRF header and shows the reply', async () => {
      const { page, problems } = await open('/agents/support-bot');
      await page.fill('#chat-input', 'Hello there');
      await page.click('.chat-form button[type=submit]');
      await page.waitForSelector('.bubble-agent:has-text("Echo: Hello there")');
      await page.fill('#chat-input', 'What are your opening hours?');
      await page.press('#chat-input', 'Enter');
      await page.waitForSelector('.bubble-agent:has-text("Echo: What are your opening hours?")');
      expect(await page.locator('.bubble-user').count()).toBe(2);
      expect(await page.locator('.bubble-error').count()).toBe(0);
      await page.screenshot({ path: `${ARTIFACTS}agent-chat.png`, fullPage: true });
      expect(problems).toEqual([]);
      await page.close();
    });

    it('asks before revoking a key (data-confirm, no inline handler); dismissing keeps the page', async () => {
      const { page } = await open('/keys');
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.click('form[action="/keys/k_7Hq2/revoke"] button');
      expect(dialogs).toEqual(['Revoke production-widget? Requests using it fail at once.']);
      expect(new URL(page.url()).pathname).toBe('/keys');
      await page.close();
    });

    it('walks through login, key creation, agent chat and logout with real forms', async () => {
      const flow = await listenLocally(flowApp().fetch);
      const url = flow.base;
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      try {
        await page.goto(`${url}/`);
        await page.fill('input[name=email]', 'ada@example.com');
        await page.fill('input[name=password]', 'wrong password');
        await page.click('form[action="/login"] button[type=submit]');
        await page.waitForSelector('.flash-error');
        await page.screenshot({ path: `${ARTIFACTS}flow-1-login-failed.png` });
        await page.fill('input[name=password]', 'correct horse battery staple');
        await page.click('form[action="/login"] button[type=submit]');
        await page.waitForSelector('h1:has-text("Agents")');
        await page.screenshot({ path: `${ARTIFACTS}flow-2-dashboard.png` });

        await page.click('a.nav-link:has-text("API keys")');
        await page.fill('form[action="/keys"] input[name=name]', 'flow-key');
        await page.check('input[name=scopes][value="agents:read"]');
        await page.click('form[action="/keys"] button[type=submit]');
        await page.waitForSelector('#new-key');
        expect(await page.textContent('#new-key')).toContain('smarter_k_new1_FLOWKEY');
        expect(new URL(page.url()).search).toBe('');
        await page.screenshot({ path: `${ARTIFACTS}flow-3-key-created.png`, fullPage: true });
        await page.goto(`${url}/keys`);
        expect(await page.locator('#new-key').count()).toBe(0);
        expect(await page.textContent('table')).toContain('flow-key');

        await page.goto(`${url}/agents/support-bot`);
        await page.fill('#chat-input', 'Is my order shipped?');
        await page.press('#chat-input', 'Enter');
        await page.waitForSelector('.bubble-agent:has-text("Echo: Is my order shipped?")');
        await page.screenshot({ path: `${ARTIFACTS}flow-4-chat.png`, fullPage: true });

        await page.click('form[action="/logout"] button[type=submit]');
        await page.waitForSelector('form[action="/login"]');
        expect((await context.cookies()).find((c) => c.name === 'session')).toBeUndefined();
        await page.screenshot({ path: `${ARTIFACTS}flow-5-logged-out.png` });
        expect(problems).toEqual([]);
      } finally {
        await context.close();
        await flow.close();
      }
    });

    it('is usable on a narrow screen', async () => {
      const { page, problems } = await open('/agents/support-bot', 420);
      await page.screenshot({ path: `${ARTIFACTS}agent-mobile.png`, fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
      expect(overflow).toBe(false);
      expect(problems).toEqual([]);
      await page.close();
    });
  });
}
