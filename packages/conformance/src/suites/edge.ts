import { afterAll, beforeAll, expect, it } from 'vitest';
import { rawRequest } from '../raw-http.ts';
import { type StartedApp, startApp } from '../runtimes.ts';
import type { SuiteContext } from '../suite.ts';

/** The edge instance: behind a (pretend) loopback proxy, https enforced, a small API rate limit. */
const EDGE_ENV = {
  SMARTER_TRUSTED_PROXIES: 'loopback',
  SMARTER_SECURE_REDIRECT: 'true',
  SMARTER_RATE_LIMIT: '5/60',
  SMARTER_ALLOWED_HOSTS: 'smarter.test',
};

let next = 0;
/** A fresh client address per test, so counters and bans never cross tests (the test is the trusted proxy). */
function newClient(): string {
  next += 1;
  return `198.51.100.${next}`;
}

/** Request-edge guards (SPEC §1–6, §19) over real HTTP on every runtime. */
export function edgeSuite({ app }: SuiteContext): void {
  let edge: StartedApp | undefined;
  beforeAll(async () => {
    edge = await startApp(app().runtime, EDGE_ENV);
  }, 60_000);
  afterAll(async () => {
    await edge?.stop();
  }, 30_000);
  const base = () => {
    if (!edge) throw new Error('edge app is not running');
    return edge.baseUrl;
  };
  const as = (client: string, path: string, init: { proto?: string; method?: string; xff?: string } = {}) =>
    fetch(`${base()}${path}`, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: { 'x-forwarded-for': init.xff ?? client, 'x-forwarded-proto': init.proto ?? 'https' },
    });
  const hostOf = () => new URL(base()).host;

  it('serves /healthz on plain http and the API over https with HSTS', async () => {
    const health = await fetch(`${base()}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('strict-transport-security')).toBeNull();
    const res = await as(newClient(), '/api/v1/status');
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });

  it('redirects plain http to https on the validated host: 301 for GET, 308 for POST', async () => {
    const client = newClient();
    const get = await as(client, '/api/v1/status?x=1', { proto: 'http' });
    expect(get.status).toBe(301);
    expect(get.headers.get('location')).toBe('https://127.0.0.1/api/v1/status?x=1');
    const post = await as(client, '/api/v1/status', { proto: 'http', method: 'POST' });
    expect(post.status).toBe(308);
  });

  it('rejects an unknown Host with 400 INVALID_HOST that does not echo it', async () => {
    const res = await rawRequest(
      base(),
      'GET /api/v1/status HTTP/1.1\r\nHost: evil-attacker.example\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n',
    );
    expect(res.status).toBe(400);
    expect(res.body).not.toContain('evil-attacker');
    expect(res.body).toContain('INVALID_HOST');
  });

  it('accepts a configured host', async () => {
    const res = await rawRequest(
      base(),
      'GET /healthz HTTP/1.1\r\nHost: smarter.test\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n',
    );
    expect(res.status).toBe(200);
  });

  it('rejects duplicate Host headers', async () => {
    const res = await rawRequest(
      base(),
      `GET /api/v1/status HTTP/1.1\r\nHost: ${hostOf()}\r\nHost: evil.example\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n`,
    );
    // Miniflare's local front server refuses the request itself (500, before the Worker); elsewhere the app answers.
    expect(res.status).toBe(app().runtime === 'workerd' ? 500 : 400);
    expect(res.body).not.toContain('evil');
  });

  it('never serves an absolute-form target for another host', async () => {
    const res = await rawRequest(
      base(),
      `GET http://evil.example/api/v1/status HTTP/1.1\r\nHost: ${hostOf()}\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n`,
    );
    // Node and Deno hand the app the target's authority (rejected as a mismatch: 400); Bun builds the URL from Host
    // and drops the target's authority, so it is served for the validated host only; Miniflare's local front server
    // refuses absolute-form targets itself (500, before the Worker).
    expect(res.status).toBe({ node: 400, deno: 400, bun: 200, workerd: 500 }[app().runtime]);
    expect(res.body).not.toContain('evil');
  });

  it('blocks sensitive files in every encoding with 403 SENSITIVE_PATH, and lets look-alikes through', async () => {
    const client = newClient();
    for (const path of ['/.env', '/%2e%65nv', '/static/..%2f.git/config', '/backup/DB.SQL']) {
      const res = await as(client, path);
      expect(res.status, path).toBe(403);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.json()).toMatchObject({ code: 'SENSITIVE_PATH' });
    }
    const other = newClient();
    for (const path of ['/docs/database/', '/assets/app.3f2a.js', '/api/v1/backups']) {
      expect((await as(other, path)).status, path).toBe(404);
    }
  });

  it('answers a malformed path with 400 INVALID_PATH', async () => {
    const res = await as(newClient(), '/a/%zz');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'INVALID_PATH' });
  });

  it('bans a client after 5 sensitive hits on every route but health; others and forged chains change nothing', async () => {
    const client = newClient();
    for (let i = 0; i < 5; i++) expect((await as(client, `/x${i}/.git/HEAD`)).status).toBe(403);
    const banned = await as(client, '/api/v1/status');
    expect(banned.status).toBe(403);
    expect(Number(banned.headers.get('retry-after'))).toBeGreaterThan(500);
    expect(await banned.json()).toMatchObject({ code: 'CLIENT_BANNED' });
    // Prepending a forged address does not dodge the ban: the chain is read right to left.
    expect((await as(client, '/', { xff: `6.6.6.6, ${client}` })).status).toBe(403);
    expect((await as(client, '/healthz')).status).toBe(200);
    expect((await as(newClient(), '/api/v1/status')).status).toBe(200);
  });

  it('bans a scanner after 25 misses, before routing, and leaves benign misses alone', async () => {
    const polite = newClient();
    for (let i = 0; i < 30; i++) await as(polite, i % 2 ? '/favicon.ico' : '/apple-touch-icon.png');
    expect((await as(polite, '/')).status).toBe(200);
    const scanner = newClient();
    for (let i = 0; i < 25; i++) expect((await as(scanner, `/nope-${i}`)).status).toBe(404);
    const res = await as(scanner, '/');
    expect(res.status).toBe(403);
    expect(res.headers.get('retry-after')).not.toBeNull();
  });

  it('rate-limits the API per client with RateLimit headers, then 429 problem+json with Retry-After', async () => {
    const client = newClient();
    for (let i = 0; i < 5; i++) {
      const res = await as(client, '/api/v1/status');
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-policy')).toBe('"api";q=5;w=60');
      expect(res.headers.get('ratelimit')).toMatch(new RegExp(`^"api";r=${4 - i};t=\\d+$`));
    }
    const limited = await as(client, '/api/v1/status');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect((await as(newClient(), '/api/v1/status')).status).toBe(200);
    expect((await as(client, '/healthz')).status).toBe(200);
  });
}
