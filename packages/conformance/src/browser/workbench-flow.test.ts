import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, CHROMIUM_FLAGS } from '@smarter/api/testing/chromium';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFORMANCE_SECRET_KEYS, type StartedApp, startApp } from '../runtimes.ts';

const ARTIFACTS = fileURLToPath(new URL('../../../../test-artifacts/workbench-node/', import.meta.url));
const API_DIR = dirname(fileURLToPath(import.meta.resolve('@smarter/api/package.json')));
const ADMIN = 'admin@example.com';
const PASSWORD = 'violet-harbour-lantern-42';
const UNIFORM_ERROR = 'Those credentials are not valid.';

/** Runs the built `smarter` CLI on the test database (the README's first-admin step). */
function cli(env: Record<string, string>, args: string[], input?: string): string {
  const run = spawnSync(process.execPath, [join(API_DIR, 'dist', 'cli', 'main.js'), ...args], {
    cwd: API_DIR,
    input: input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NO_COLOR: '1', ...env },
  });
  if (run.status !== 0) throw new Error(`smarter ${args[0]} failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

const available = existsSync(CHROMIUM);
if (!available) {
  const message = `workbench browser flow skipped: ${CHROMIUM} is missing (run .ci/browser or apt-get install chromium)`;
  if (process.env['SMARTER_REQUIRE_SERVICES'] === '1') throw new Error(`${message}, but SMARTER_REQUIRE_SERVICES=1`);
  console.warn(`\n[SKIP] ${message}\n`);
  describe('workbench browser flow', () => {
    it('reports that Chromium is missing', () => {
      expect(existsSync(CHROMIUM)).toBe(false);
    });
  });
} else {
  describe('workbench in Chromium against the Node server (screenshots in test-artifacts/workbench-node)', {
    timeout: 60_000,
  }, () => {
    let dataDir = '';
    let app: StartedApp;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    const problems: string[] = [];
    const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
    const cookie = async (suffix: string) => (await context.cookies()).find((c) => c.name.endsWith(suffix))?.value;
    const submit = (action: string) => page.click(`form[action="${action}"] button[type=submit]`);

    beforeAll(async () => {
      await mkdir(ARTIFACTS, { recursive: true });
      dataDir = await mkdtemp(join(tmpdir(), 'smarter-workbench-'));
      const env = {
        SMARTER_ENV: 'test',
        SMARTER_SECRET_KEYS: CONFORMANCE_SECRET_KEYS,
        SMARTER_DATABASE_URL: join(dataDir, 'smarter.sqlite3'),
      };
      cli(env, ['migrate']);
      cli(env, ['createsuperuser', '--email', ADMIN, '--password-stdin'], `${PASSWORD}\n`);
      app = await startApp('node', env);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_FLAGS] });
      context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      page = await context.newPage();
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => {
        // The two failed sign-ins are meant to answer 401; any other console error is a problem.
        if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(m.text());
      });
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await app?.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    }, 30_000);

    it('serves the login page with the CSRF token as cookie, hidden field and meta tag', async () => {
      const res = await page.goto(`${app.baseUrl}/`);
      expect(res?.status()).toBe(200);
      const field = await page.getAttribute('form[action="/login"] input[name=csrfmiddlewaretoken]', 'value');
      const meta = await page.getAttribute('meta[name="csrf-token"]', 'content');
      expect(field).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      expect(meta).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      expect(await cookie('csrftoken')).toBeTruthy();
      // No session before login.
      expect(await cookie('session')).toBeUndefined();
      await shot('1-login');
    });

    it('answers a wrong password and an unknown email with the same error, and starts no session', async () => {
      const pages: string[] = [];
      for (const email of [ADMIN, 'nobody@example.com']) {
        await page.goto(`${app.baseUrl}/`);
        await page.fill('input[name=email]', email);
        await page.fill('input[name=password]', 'not-the-password-at-all');
        const answer = page.waitForResponse((r) => r.url() === `${app.baseUrl}/login`);
        await submit('/login');
        expect((await answer).status()).toBe(401);
        await page.waitForSelector('.flash-error');
        pages.push((await page.textContent('.flash-error'))?.trim() ?? '');
      }
      expect(pages).toEqual([UNIFORM_ERROR, UNIFORM_ERROR]);
      expect(await cookie('session')).toBeUndefined();
      await shot('2-login-failed');
    });

    it('signs in: a new session cookie and a rotated CSRF secret', async () => {
      await page.goto(`${app.baseUrl}/`);
      const csrfBefore = await cookie('csrftoken');
      await page.fill('input[name=email]', ADMIN);
      await page.fill('input[name=password]', PASSWORD);
      await submit('/login');
      await page.waitForSelector('h1:has-text("Agents")');
      expect(await page.textContent('body')).toContain(ADMIN);
      expect(await cookie('session')).toBeTruthy();
      expect(await cookie('csrftoken')).not.toBe(csrfBefore);
      await shot('3-dashboard-empty');
    });

    it('creates an API key and shows it exactly once', async () => {
      await page.goto(`${app.baseUrl}/keys`);
      await page.fill('form[action="/keys"] input[name=name]', 'browser-key');
      await page.check('input[name=scopes][value="chat"]');
      await submit('/keys');
      await page.waitForSelector('#new-key');
      const key = (await page.textContent('#new-key'))?.trim() ?? '';
      expect(key).toMatch(/^smk_[A-Za-z0-9]{16}_[A-Za-z0-9]{49}$/);
      // The key never travels in a URL.
      expect(page.url()).not.toContain(key);
      await shot('4-key-created');
      await page.goto(`${app.baseUrl}/keys`);
      expect(await page.locator('#new-key').count()).toBe(0);
      const html = await page.content();
      expect(html).toContain('browser-key');
      expect(html).not.toContain(key);
      expect(html).toContain(key.slice(-4));
    });

    it('creates and deploys an agent, then chats with it from its page', async () => {
      await page.goto(`${app.baseUrl}/`);
      await page.fill('form[action="/agents"] input[name=name]', 'helpdesk');
      await page.fill('form[action="/agents"] input[name=description]', 'Answers questions about orders');
      await submit('/agents');
      await page.waitForSelector('h1:has-text("helpdesk")');
      expect(new URL(page.url()).pathname).toBe('/agents/helpdesk');
      expect(await page.textContent('#agent-host')).toMatch(/^helpdesk\.\d{4}-\d{4}-\d{4}\.localhost$/);
      await submit('/agents/helpdesk/deploy');
      await page.waitForSelector('.flash-success:has-text("deployed")');

      await page.fill('#chat-input', 'Where is my order?');
      await page.press('#chat-input', 'Enter');
      await page.waitForSelector('.bubble-agent:has-text("Echo: Where is my order?")');
      expect(await page.locator('.bubble-error').count()).toBe(0);
      await shot('5-agent-chat');

      await page.goto(`${app.baseUrl}/`);
      expect(await page.textContent('main')).toContain('helpdesk');
      await shot('6-dashboard');
    });

    it('shows the journal of the account to its admin', async () => {
      await page.goto(`${app.baseUrl}/journal`);
      const table = (await page.textContent('main')) ?? '';
      expect(table).toContain('agent.created');
      expect(table).toContain('key.created');
      await shot('7-journal');
    });

    it('signs out: the session ends server-side, a replayed cookie gets the login page', async () => {
      const before = await context.cookies();
      await submit('/logout');
      await page.waitForSelector('form[action="/login"]');
      expect(await cookie('session')).toBeUndefined();
      await shot('8-logged-out');

      // Replaying the old session cookie in a fresh browser context does not sign anyone in.
      const replay = await browser.newContext();
      try {
        await replay.addCookies(before);
        const other = await replay.newPage();
        await other.goto(`${app.baseUrl}/keys`);
        expect(new URL(other.url()).pathname).toBe('/');
        expect(await other.locator('form[action="/login"]').count()).toBe(1);
        expect(await other.content()).not.toContain('browser-key');
      } finally {
        await replay.close();
      }
      expect(problems).toEqual([]);
      // Nothing secret reached the server's output.
      expect(app.output()).not.toContain(PASSWORD);
    });
  });
}
