import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApp, startApp } from './runtimes.ts';
import { conformance } from './suite.ts';

conformance('workerd');

describe('the Cron Trigger on workerd', () => {
  let app: StartedApp | undefined;
  beforeAll(async () => {
    app = await startApp('workerd');
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
  });

  it("purges the D1 store's expired rows and keeps live ones", async () => {
    const started = app as StartedApp;
    const d1 = started.d1 as NonNullable<StartedApp['d1']>;
    // The first request migrates the database; a 404 also leaves a live counter for its client.
    expect((await fetch(`${started.baseUrl}/healthz`)).status).toBe(200);
    const past = Date.now() - 60_000;
    for (let i = 0; i < 3; i++) {
      await d1('INSERT INTO kv (key, value, count, expires_at) VALUES (?, NULL, 1, ?)', `smarter:expired:${i}`, past);
    }
    await d1(
      'INSERT INTO kv (key, value, count, expires_at) VALUES (?, NULL, 1, ?)',
      'smarter:live',
      Date.now() + 600_000,
    );
    const fired = await fetch(`${started.baseUrl}/cdn-cgi/handler/scheduled?cron=*/10+*+*+*+*`);
    expect(fired.status).toBe(200);
    const left = async () =>
      (await d1("SELECT key FROM kv WHERE key LIKE 'smarter:expired:%' OR key = 'smarter:live'")).map((r) => r['key']);
    // waitUntil work may finish just after the handler answers.
    for (let i = 0; i < 50 && (await left()).length > 1; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await left()).toEqual(['smarter:live']);
  });
});
