import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workbenchPreviewApp } from './preview.tsx';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../../../test-artifacts/workbench/', import.meta.url));
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

if (!existsSync(CHROMIUM)) {
  console.warn(`\n[SKIP] workbench browser tests: ${CHROMIUM} is missing (apt-get install -y chromium)\n`);
} else {
  describe('workbench in Chromium (screenshots in test-artifacts/workbench)', { timeout: 60_000 }, () => {
    let browser: Browser;
    let server: ReturnType<typeof serve>;
    let base = '';
    beforeAll(async () => {
      await mkdir(ARTIFACTS, { recursive: true });
      server = serve({ fetch: workbenchPreviewApp().fetch, hostname: '127.0.0.1', port: 0 });
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    }, 30_000);
    afterAll(async () => {
      await browser?.close();
      await new Promise<void>((resolve) => server?.close(() => resolve()));
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
