import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { clientIdentity } from '../identity/client-identity.ts';
import { createJournal, memorySink } from '../journal/journal.ts';
import { canonicalizePath } from '../path/canonicalize.ts';
import { createBanList } from '../scanner/ban-list.ts';
import type { Store } from '../store/store.ts';
import { memoryStore } from '../stores/memory/memory-store.ts';
import { fakeClock, unavailableStore } from '../testing/store-conformance.ts';
import { LEGITIMATE_PATHS } from './legit-paths.ts';
import { compileSensitiveMatcher } from './matcher.ts';
import { SENSITIVE_PATTERNS } from './patterns.ts';
import { resolveSensitiveFilesOptions, sensitiveFiles } from './sensitive-files.ts';

const match = compileSensitiveMatcher(SENSITIVE_PATTERNS);
const check = (raw: string) => {
  const c = canonicalizePath(raw);
  return c.ok ? match(c.path) : undefined;
};

describe('the sensitive-file matcher', () => {
  it.each([
    ['/.env', 'env'],
    ['/.env.production', 'env'],
    ['/config/prod.env', 'env'],
    ['/app/.git/config', 'vcs'],
    ['/.svn/entries', 'vcs'],
    ['/certs/server.KEY', 'keys'],
    ['/home/u/.ssh/id_ed25519', 'credentials'],
    ['/id_rsa', 'keys'],
    ['/.aws/credentials', 'credentials'],
    ['/.docker/config.json', 'credentials'],
    ['/backup/db.sql', 'backups'],
    ['/index.php~', 'backups'],
    ['/data.sqlite3', 'backups'],
    ['/wp-config.php', 'config'],
    ['/.htaccess', 'config'],
    ['/phpinfo.php', 'probes'],
    ['/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php', 'probes'],
    ['/actuator/env', 'probes'],
    ['/cgi-bin/luci', 'probes'],
    ['/package.json', 'manifests'],
    ['/yarn.lock', 'manifests'],
    ['/logs/error.log', 'runtime'],
    ['/.DS_Store', 'runtime'],
    ['/.vscode/settings.json', 'ide'],
    ['/%2e%65nv', 'env'],
    ['/static/..%2f.env', 'env'],
    ['/.env%00.txt', 'env'],
    ['/．ｅｎｖ', 'env'],
    ['/.git;x/HEAD', 'vcs'],
  ])('blocks %s (%s)', (path, category) => {
    expect(check(path)?.category).toBe(category);
  });

  it(`lets ${LEGITIMATE_PATHS.length} realistic legitimate paths through`, () => {
    expect(LEGITIMATE_PATHS.length).toBeGreaterThanOrEqual(200);
    const blocked = LEGITIMATE_PATHS.filter((p) => check(p) !== undefined);
    expect(blocked).toEqual([]);
  });

  it('matches multi-segment patterns only as whole consecutive segments', () => {
    expect(check('/vendor/phpunitx')).toBeUndefined();
    expect(check('/my-vendor/phpunit')).toBeUndefined();
    expect(check('/.docker/config.jsonx')).toBeUndefined();
  });
});

function app(options: Parameters<typeof sensitiveFiles>[0], peer = '203.0.113.7') {
  const handler = vi.fn();
  const a = new Hono();
  a.use(clientIdentity({ peerAddress: () => peer }));
  a.use(sensitiveFiles(options));
  a.all('*', (c) => {
    handler(c.req.path);
    return c.json({ ok: true });
  });
  return { a, handler };
}

describe('sensitiveFiles', () => {
  it('answers a hit with 403 problem+json, journals it, and never runs the handler', async () => {
    const sink = memorySink();
    const { a, handler } = app({ journal: createJournal({ sinks: [sink] }) });
    const res = await a.request('/static/..%2f.env');
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = await res.json();
    expect(body).toMatchObject({ code: 'SENSITIVE_PATH', status: 403 });
    expect(JSON.stringify(body)).not.toContain('env');
    expect(handler).not.toHaveBeenCalled();
    expect(sink.events[0]).toMatchObject({ type: 'path.sensitive', path: '/.env', clientKey: '203.0.113.7' });
  });

  it('passes ordinary paths and exact amnesty paths, but not paths that merely contain them', async () => {
    const { a, handler } = app({});
    expect((await a.request('/api/v1/backups')).status).toBe(200);
    expect((await a.request('/.well-known/acme-challenge/abc_123')).status).toBe(200);
    expect((await a.request('/healthz/../.env')).status).toBe(403);
    expect((await a.request('/robots.txt/.git')).status).toBe(403);
    expect((await a.request('/.well-known/acme-challenge/a/.env')).status).toBe(403);
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('refuses NTFS stream names of sensitive files, and passes colons elsewhere', async () => {
    const { a, handler } = app({ threshold: 100 });
    for (const p of ['/.env::$DATA', '/.git::$INDEX_ALLOCATION/config', '/static/.htpasswd:stream', '/.env:']) {
      expect((await a.request(p)).status, p).toBe(403);
    }
    expect((await a.request('/api/v1/projects/p1:run')).status).toBe(200);
    expect((await a.request('/api/v1/items/urn:isbn:0451450523')).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('passes one token after a "/prefix/*" amnesty, but not a sensitive file named there; exact entries pass as named', async () => {
    const { a, handler } = app({});
    for (const leaf of ['.env', 'id_rsa', '.git', 'wp-config.php.bak']) {
      expect((await a.request(`/.well-known/acme-challenge/${leaf}`)).status, leaf).toBe(403);
    }
    expect((await a.request('/.well-known/acme-challenge/Zm9vYmFy-_0')).status).toBe(200);
    const exact = app({ amnesty: ['/.env.example'] });
    expect((await exact.a.request('/.env.example')).status).toBe(200);
    expect(exact.handler).toHaveBeenCalledTimes(1);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('answers every request for itself when paths repeat and alternate (last answers are remembered)', async () => {
    const { a } = app({ threshold: 100 });
    const paths = ['/.env', '/.env', '/api/v1/x', '/api/v1/x', '/.env', '/API/V1/X', '/%2eenv', '/bad%zz', '/.env'];
    const statuses = [];
    for (const p of paths) statuses.push((await a.request(p)).status);
    expect(statuses).toEqual([403, 403, 200, 200, 403, 200, 403, 400, 403]);
  });

  it('answers a malformed path with 400 INVALID_PATH', async () => {
    const { a, handler } = app({});
    const res = await a.request('/a/%zz');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'INVALID_PATH' });
    expect(handler).not.toHaveBeenCalled();
  });

  it('bans after the threshold on every route but health, with Retry-After, until the ban ends', async () => {
    const clock = fakeClock();
    const store = memoryStore({ now: clock.now });
    const bans = createBanList({ store, now: clock.now });
    const sink = memorySink();
    const { a, handler } = app({ store, bans, threshold: 3, journal: createJournal({ sinks: [sink] }) });
    for (let i = 0; i < 3; i++) expect((await a.request(`/x${i}/.git/HEAD`)).status).toBe(403);
    const banned = await a.request('/api/v1/status');
    expect(banned.status).toBe(403);
    expect(await banned.json()).toMatchObject({ code: 'CLIENT_BANNED' });
    expect(banned.headers.get('retry-after')).toBe('600');
    expect((await a.request('/healthz')).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(sink.events.filter((e) => e.type === 'scanner.banned')).toHaveLength(1);
    clock.advance(300_000);
    expect((await a.request('/api/v1/status')).headers.get('retry-after')).toBe('300');
    clock.advance(300_001);
    expect((await a.request('/api/v1/status')).status).toBe(200);
  });

  it('keeps clients apart', async () => {
    const store = memoryStore();
    const bans = createBanList({ store });
    const one = app({ store, bans, threshold: 1 }, '198.51.100.1');
    const two = app({ store, bans, threshold: 1 }, '198.51.100.2');
    await one.a.request('/.env');
    expect((await one.a.request('/')).status).toBe(403);
    expect((await two.a.request('/')).status).toBe(200);
  });

  it('observe mode journals without blocking or banning', async () => {
    const sink = memorySink();
    const { a, handler } = app({ mode: 'observe', threshold: 1, journal: createJournal({ sinks: [sink] }) });
    expect((await a.request('/.env')).status).toBe(200);
    expect((await a.request('/.env')).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(2);
    expect(sink.events.map((e) => e.reason)).toEqual(['OBSERVED', 'OBSERVED']);
  });

  it('can answer 404 for stealth', async () => {
    const { a } = app({ status: 404 });
    const res = await a.request('/.git/config');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('fails closed when the store fails, and open only when told to', async () => {
    const broken = unavailableStore();
    const closed = app({ store: broken });
    const res = await closed.a.request('/api/v1/status');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(closed.handler).not.toHaveBeenCalled();
    const open = app({ store: broken, failMode: 'open' });
    expect((await open.a.request('/api/v1/status')).status).toBe(200);
    expect((await open.a.request('/.env')).status).toBe(403);
  });

  it('fails closed when the ban itself cannot be stored, and open only when told to', async () => {
    const store = memoryStore();
    const bans = { ...createBanList({ store }), ban: () => Promise.reject(new Error('down')) };
    const sink = memorySink();
    const closed = app({ store, bans, threshold: 2, journal: createJournal({ sinks: [sink] }) });
    expect((await closed.a.request('/.env')).status).toBe(403);
    const res = await closed.a.request('/.git/config');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(sink.events.find((e) => e.type === 'store.failed')).toMatchObject({ details: { guard: 'sensitiveFiles' } });
    expect(sink.events.some((e) => e.type === 'scanner.banned')).toBe(false);
    const openSink = memorySink();
    const open = app({
      store: memoryStore(),
      bans,
      threshold: 2,
      failMode: 'open',
      journal: createJournal({ sinks: [openSink] }),
    });
    expect((await open.a.request('/.env')).status).toBe(403);
    expect((await open.a.request('/.git/config')).status).toBe(403);
    expect(openSink.events.find((e) => e.type === 'store.failed')).toMatchObject({ reason: 'FAIL_OPEN' });
  });

  it('fails closed when the synchronous read of an in-process store throws', async () => {
    const store = memoryStore();
    const broken: Store = {
      ...store,
      getNow: () => {
        throw new Error('down');
      },
    };
    const closed = app({ store: broken });
    const res = await closed.a.request('/api/v1/status');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(closed.handler).not.toHaveBeenCalled();
  });
});

describe('resolveSensitiveFilesOptions', () => {
  it.each([
    [{ treshold: 5 }, /unknown option "treshold"/],
    [{ amnesty: ['/healthz*x'] }, /only use "\*" at its very end/],
    [{ amnesty: ['/Robots.txt'] }, /write "\/robots.txt"/],
    [{ amnesty: ['robots.txt'] }, /absolute path/],
    [{ extraPatterns: [{ category: 'env', kind: 'segment', value: '*.secret' }] }, /literal value/],
    [{ status: 401 }, /403/],
    [{ failMode: 'ignore' }, /failMode/],
    [{ threshold: 0 }, /positive integer/],
  ])('rejects %j', (options, message) => {
    expect(() => resolveSensitiveFilesOptions(options as never)).toThrow(SmarterConfigError);
    expect(() => resolveSensitiveFilesOptions(options as never)).toThrow(message);
  });

  it('adds extra patterns to the shipped list', () => {
    const o = resolveSensitiveFilesOptions({
      extraPatterns: [{ category: 'config', kind: 'segment', value: 'x.cfg' }],
    });
    expect(o.match('/a/x.cfg')?.category).toBe('config');
    expect(o.match('/.env')?.category).toBe('env');
  });
});
