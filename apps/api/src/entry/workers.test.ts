import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { describe, expect, it } from 'vitest';

// The Workers entry as wrangler bundles it for production (`turbo run build` makes dist/workers first), in workerd.
const script = fileURLToPath(new URL('../../dist/workers/workers.js', import.meta.url));

const KEYS = 'test:5c0f9e2a7b4d6183e9a1f0c2b7d4e6a3f8c1b2d9e0a7f6c5';

function worker(sqlite: boolean | undefined, extra: Record<string, string> = {}, persist?: string): Miniflare {
  return new Miniflare({
    ...(persist ? { durableObjectsPersist: persist } : {}),
    modules: true,
    scriptPath: script,
    compatibilityDate: '2026-04-01',
    compatibilityFlags: ['nodejs_compat'],
    d1Databases: { DB: `workers-store-${Date.now()}` },
    d1Persist: false,
    bindings: {
      SMARTER_ENV: 'test',
      SMARTER_SECRET_KEYS: KEYS,
      SMARTER_RATE_LIMIT: '3/60',
      ...extra,
    },
    // Over HTTP, as a client sees it: dispatchFetch's Host would disagree with the URL and be refused as a bad host.
    host: '127.0.0.1',
    port: 0,
    ...(sqlite === undefined
      ? {}
      : { durableObjects: { SMARTER_STORE_DO: { className: 'SmarterStoreObject', useSQLite: sqlite } } }),
  });
}

const status = async (mf: Miniflare) => fetch(new URL('/api/v1/status', await mf.ready));

/** Rate-limit counters the D1 store holds. */
async function d1Counters(mf: Miniflare): Promise<number> {
  const db = await mf.getD1Database('DB');
  const row = await db.prepare("SELECT count(*) AS n FROM kv WHERE key LIKE '%:rl:%'").first<{ n: number }>();
  return row?.n ?? 0;
}

describe('Workers entry store', () => {
  it('has a build to test', () => {
    expect(existsSync(script), 'run `turbo run build` first').toBe(true);
  });

  it('counts in Durable Objects when SMARTER_STORE_DO is bound, and in D1 without it', async () => {
    for (const bound of [true, false]) {
      const mf = worker(bound ? true : undefined);
      try {
        const answers = [];
        for (let i = 0; i < 4; i++) answers.push(await status(mf));
        expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429]);
        expect(answers[2]?.headers.get('ratelimit')).toMatch(/^"api";r=0;/);
        expect(await d1Counters(mf), bound ? 'bound: nothing in D1' : 'unbound: D1').toBe(bound ? 0 : 1);
      } finally {
        await mf.dispose();
      }
    }
  }, 60_000);

  it('keeps counters in the same objects across a key rotation with SMARTER_STORE_SHARD_KEY, and restarts them without', async () => {
    const rotated = `next:9d3b7e1f0a5c2d8e4b6f1a3c5e7d9b0f2a4c6e8d1b3f5a7c,${KEYS}`;
    const shardKey = 'shards-8f2c4e6a1b3d5f7e9c0a2b4d6f8e1a3c';
    for (const pinned of [true, false]) {
      const persist = mkdtempSync(join(tmpdir(), 'smarter-do-'));
      const settings = pinned ? { SMARTER_STORE_SHARD_KEY: shardKey } : {};
      try {
        const before = worker(true, settings, persist);
        try {
          expect([(await status(before)).status, (await status(before)).status]).toEqual([200, 200]);
        } finally {
          await before.dispose();
        }
        // The same objects' storage, a new signing key first: the client's third and fourth requests of the window.
        const after = worker(true, { ...settings, SMARTER_SECRET_KEYS: rotated }, persist);
        try {
          const answers = [(await status(after)).status, (await status(after)).status];
          expect(answers, pinned ? 'pinned: the count goes on' : 'keyed by the signing key: it restarts').toEqual(
            pinned ? [200, 429] : [200, 200],
          );
        } finally {
          await after.dispose();
        }
      } finally {
        rmSync(persist, { recursive: true, force: true });
      }
    }
  }, 90_000);

  it('fails closed when the bound class cannot run (declared without SQLite storage)', async () => {
    const mf = worker(false);
    try {
      const res = await status(mf);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    } finally {
      await mf.dispose();
    }
  }, 60_000);

  it('refuses SMARTER_EMAIL=smtp (no sockets) on every request, before the database is touched', async () => {
    const mf = worker(undefined, {
      SMARTER_SMTP_URL: 'smtps://mailer:s%40cret-9@mail.example.com',
      SMARTER_EMAIL_FROM: 'no-reply@example.com',
    });
    try {
      for (let i = 0; i < 2; i++) {
        const res = await status(mf);
        expect(res.status).toBe(500);
        expect(await res.text()).not.toMatch(/s%40cret|s@cret|mail\.example/);
      }
      const db = await mf.getD1Database('DB');
      const tables = await db
        .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'")
        .first<{ n: number }>();
      expect(tables?.n).toBe(0);
    } finally {
      await mf.dispose();
    }
  }, 60_000);
});
