import { existsSync } from 'node:fs';
import type { EmailMessage } from '@smarter/auth';
import { migrate } from '@smarter/data';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  WORKBENCH_ARTIFACTS as ARTIFACTS,
  CHROMIUM,
  type LocalServer,
  launchChromium,
  listenLocally,
} from '../testing/chromium.ts';
import { testApp } from '../testing/test-app.ts';

const PASSWORD = 'a long and unusual passphrase 42';
const NEW_PASSWORD = 'another quite unusual passphrase 7';

if (!existsSync(CHROMIUM)) {
  console.warn(`\n[SKIP] password link browser test: ${CHROMIUM} is missing (apt-get install -y chromium)\n`);
} else {
  // The real app (security layer, CSRF, sessions) in Chromium: what an in-process test cannot show is whether the
  // browser's own Origin/Referer on the form post passes the CSRF check on a page reached from an emailed link.
  describe('a password reset in Chromium, through the real app', { timeout: 60_000 }, () => {
    const outbox: EmailMessage[] = [];
    const target = testApp({}, { email: { send: async (m) => void outbox.push(m) } });
    let browser: Browser;
    let server: LocalServer;
    let base = '';
    beforeAll(async () => {
      await migrate(target.db);
      const account = await target.services.accounts.createAccount('system', 'Alpha');
      await target.services.accounts.createUser('system', {
        accountId: account.id,
        email: 'max@a.example',
        password: PASSWORD,
      });
      server = await listenLocally(target.app.fetch);
      base = server.base;
      browser = await launchChromium();
    }, 30_000);
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('asks for a link, follows it, sets a new password and signs in with it', async () => {
      const page = await browser.newPage();
      const problems: string[] = [];
      // The refused password answers 400, which Chromium logs as a failed load: only other errors count.
      page.on('console', (m) =>
        m.type() === 'error' && !m.text().includes('status of 400') ? problems.push(m.text()) : undefined,
      );
      page.on('pageerror', (e) => problems.push(e.message));

      await page.goto(`${base}/`);
      await page.click('a[href="/password-reset"]');
      await page.fill('input[name=email]', 'max@a.example');
      await page.screenshot({ path: `${ARTIFACTS}password-reset.png` });
      await page.click('form[action="/password-reset"] button[type=submit]');
      await page.waitForSelector('text=If an account uses that address');
      await target.services.flush();
      const href = outbox.at(-1)?.text.match(/https?:\/\/\S+/)?.[0] ?? '';
      const link = new URL(href);
      expect(link.pathname).toBe('/reset');

      // The test server listens on a random port; the link's path and token are what the person follows.
      await page.goto(`${base}${link.pathname}${link.search}`);
      expect(new URL(page.url()).search).toBe('');
      // The browser's own minlength check stops a short one: post one the server's validators refuse instead.
      await page.fill('input[name=new_password]', '123456789012');
      await page.fill('input[name=new_password_confirm]', '123456789012');
      await page.click('form[action="/reset"] button[type=submit]');
      await page.waitForSelector('text=This password is entirely numeric.');
      await page.fill('input[name=new_password]', NEW_PASSWORD);
      await page.fill('input[name=new_password_confirm]', NEW_PASSWORD);
      await page.screenshot({ path: `${ARTIFACTS}password-set.png` });
      await page.click('form[action="/reset"] button[type=submit]');
      await page.waitForSelector('text=Your password was changed');
      expect(new URL(page.url()).pathname).toBe('/');

      await page.fill('input[name=email]', 'max@a.example');
      await page.fill('input[name=password]', NEW_PASSWORD);
      await page.click('form[action="/login"] button[type=submit]');
      await page.waitForSelector('text=Log out');
      expect(problems).toEqual([]);
      expect(target.events.filter((e) => e.type === 'csrf.rejected')).toEqual([]);
      await page.close();
    });
  });
}
