import { existsSync } from 'node:fs';
import { CHROMIUM, CHROMIUM_FLAGS } from '@smarter/api/testing/chromium';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Observed, type Running, startAttacker, startProtected } from './servers.ts';

/** Polls a condition of what the server saw (bounded); the browser sends some requests after the page settles. */
async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const available = existsSync(CHROMIUM);
if (!available) {
  const message = `real-browser tests skipped: ${CHROMIUM} is missing (run .ci/browser or apt-get install chromium)`;
  if (process.env['SMARTER_REQUIRE_SERVICES'] === '1') throw new Error(`${message}, but SMARTER_REQUIRE_SERVICES=1`);
  console.warn(`\n[SKIP] ${message}\n`);
  describe('real browser', () => {
    it('reports that Chromium is missing', () => {
      expect(existsSync(CHROMIUM)).toBe(false);
    });
  });
} else {
  describe('real browser (Chromium): CSRF, CORS and CSP against a smarter() app', () => {
    let browser: Browser;
    let page: Page;
    let app: Running & { readonly observed: Observed };
    let attacker: Running;
    const seen = () => app.observed;
    const rejected = (type: string, path: string) => seen().events.filter((e) => e.type === type && e.path === path);

    beforeAll(async () => {
      app = await startProtected();
      attacker = await startAttacker(app.origin);
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS] });
      page = await browser.newPage();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await attacker?.close();
      await app?.close();
    }, 30_000);

    it('runs the nonced inline script, blocks the other, and the server receives the CSP report', async () => {
      const res = await page.goto(`${app.origin}/`);
      expect(res?.status()).toBe(200);
      expect(await page.evaluate(() => (window as { noncedRan?: boolean }).noncedRan)).toBe(true);
      expect(await page.evaluate(() => (window as { unnoncedRan?: boolean }).unnoncedRan)).toBeUndefined();
      await until(() => seen().events.some((e) => e.type === 'csp.report'), 'a csp.report event');
      const report = seen().events.find((e) => e.type === 'csp.report');
      expect(report?.details).toMatchObject({ directive: expect.stringMatching(/^script-src/), blocked: 'inline' });
    }, 60_000);

    it('refuses cross-site form posts (urlencoded, multipart, text/plain): they arrive and never reach the handler', async () => {
      for (const enctype of ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']) {
        const before = rejected('csrf.rejected', '/spy').length;
        const answer = page.waitForResponse((r) => r.url() === `${app.origin}/spy`);
        await page.goto(`${attacker.origin}/form?enctype=${encodeURIComponent(enctype)}`);
        expect((await answer).status(), enctype).toBe(403);
        await until(() => rejected('csrf.rejected', '/spy').length === before + 1, `csrf.rejected for ${enctype}`);
      }
      const posts = seen().arrived.filter((r) => r.method === 'POST' && r.path === '/spy');
      expect(posts).toHaveLength(3);
      for (const post of posts) expect(post.origin).toBe(attacker.origin);
      expect(seen().handled.form).toBe(0);
      expect(rejected('csrf.rejected', '/spy').map((e) => e.reason)).toEqual([
        'ORIGIN_MISMATCH',
        'ORIGIN_MISMATCH',
        'ORIGIN_MISMATCH',
      ]);
    }, 60_000);

    it('refuses a no-cors fetch and never lets a credentialed JSON fetch past the preflight', async () => {
      await page.goto(`${attacker.origin}/fetch`);
      await page.waitForFunction(() => {
        const r = (window as { results?: { noCors?: string; json?: string } }).results;
        return r?.noCors !== undefined && r?.json !== undefined;
      });
      const results = await page.evaluate(() => (window as { results?: Record<string, string> }).results);
      expect(results?.['json']).toBe('blocked');
      await until(() => rejected('csrf.rejected', '/spy').length === 4, 'csrf.rejected for the no-cors fetch');
      await until(() => rejected('cors.rejected', '/api/spy').length === 1, 'cors.rejected for the JSON preflight');
      const api = seen().arrived.filter((r) => r.path === '/api/spy');
      expect(api.map((r) => r.method)).toEqual(['OPTIONS']);
      expect(seen().handled.api).toBe(0);
      expect(seen().handled.form).toBe(0);
    }, 60_000);

    it('accepts the same-origin form with its token', async () => {
      await page.goto(`${app.origin}/`);
      const answer = page.waitForResponse((r) => r.url() === `${app.origin}/spy`);
      await page.click('#send');
      const res = await answer;
      expect(res.status()).toBe(200);
      expect(await res.text()).toBe('accepted');
      expect(seen().handled.form).toBe(1);
      const last = seen()
        .arrived.filter((r) => r.method === 'POST' && r.path === '/spy')
        .at(-1);
      expect(last).toEqual({ method: 'POST', path: '/spy', origin: app.origin, cookie: true });
    }, 60_000);
  });
}
