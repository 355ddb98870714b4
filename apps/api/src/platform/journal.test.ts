import { generateAccountNumber } from '@smarter/auth';
import { migrate } from '@smarter/data';
import type { JournalEvent } from '@smarter/security';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../testing/test-app.ts';

const { app, db, services } = testApp({ SMARTER_API_DOMAIN: 'api.example.test' });

interface Page {
  events: Array<{ type: string; account?: string; principal?: string; time: string; path?: string }>;
  nextCursor: string | null;
}

let adminKey = '';
let accountA = '';
let accountB = '';

function event(n: number, account: string, extra: Partial<JournalEvent> = {}): JournalEvent {
  return {
    id: crypto.randomUUID(),
    time: new Date(Date.UTC(2026, 5, 1, 12, 0, n)).toISOString(),
    type: 'auth.failed',
    severity: 'warning',
    account,
    path: `/p/${n}`,
    ...extra,
  };
}

async function page(query: string, key = adminKey): Promise<Page> {
  const res = await app.request(`http://localhost/api/v1/journal?${query}`, {
    headers: { authorization: `Token ${key}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
}

beforeAll(async () => {
  await migrate(db);
  const repos = services.repositories;
  const a = await repos.accounts.create({ number: generateAccountNumber(), name: 'Alpha' });
  const b = await repos.accounts.create({ number: generateAccountNumber(), name: 'Beta' });
  accountA = a.id;
  accountB = b.id;
  const admin = await repos.users.create({
    accountId: a.id,
    email: 'ada@alpha.example',
    role: 'admin',
    active: true,
    emailVerified: true,
    passwordHash: null,
  });
  adminKey = (await services.keys.issue(admin, { name: 'journal', scopes: ['journal:read'] })).token;
  const store = services.journalStore;
  if (!store) throw new Error('the test app keeps no journal in the database');
  // Account A's five events are spread among 600 of account B's, and 20,500 rows of another of account A's
  // principals lie between its third and fourth: more than any scan after the database's answer could bound.
  const rows: JournalEvent[] = [];
  for (let n = 0; n < 5; n++) {
    rows.push(event(n, accountA, { principal: n % 2 === 0 ? 'even' : 'odd' }));
    for (let k = 0; k < 120; k++) rows.push(event(n, accountB, { path: `/b/${n}/${k}` }));
    if (n !== 2) continue;
    const time = '2026-06-01T11:00:00.000Z';
    for (let k = 0; k < 20_500; k++) rows.push(event(2, accountA, { principal: 'noise', path: `/x/${k}`, time }));
  }
  await store.writeMany(rows);
});

describe('GET /api/v1/journal for an account admin', () => {
  it("pages through the account's own events only, however many other rows lie between them", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p: Page = await page(`type=auth.failed&limit=999${cursor ? `&cursor=${cursor}` : ''}`);
      for (const e of p.events) {
        expect(e.account).toBe(accountA);
        seen.push(e.path ?? '');
      }
      cursor = p.nextCursor;
      pages++;
    } while (cursor && pages < 30);
    // The five written here come in order, and nothing of account B's shows.
    expect(seen.filter((p) => p.startsWith('/p/'))).toEqual(['/p/0', '/p/1', '/p/2', '/p/3', '/p/4']);
    expect(seen.some((p) => p.startsWith('/b/'))).toBe(false);
    expect(cursor).toBeNull();
  });

  it('filters by principal and by a time window in the database, ends included', async () => {
    expect((await page('principal=even')).events.map((e) => e.path)).toEqual(['/p/0', '/p/2', '/p/4']);
    const window = await page(
      `since=${encodeURIComponent('2026-06-01T13:00:01+01:00')}&until=${encodeURIComponent('2026-06-01T12:00:03Z')}`,
    );
    expect(window.events.map((e) => e.path)).toEqual(['/p/1', '/p/2', '/p/3']);
    expect(window.nextCursor).toBeNull();
  });

  it('says there is more only when there is', async () => {
    const first = await page('principal=odd&limit=1');
    expect(first.events.map((e) => e.path)).toEqual(['/p/1']);
    expect(first.nextCursor).not.toBeNull();
    const second = await page(`principal=odd&limit=1&cursor=${first.nextCursor}`);
    expect(second.events.map((e) => e.path)).toEqual(['/p/3']);
    const last = await page(`principal=odd&limit=1&cursor=${second.nextCursor}`);
    expect(last).toEqual({ events: [], nextCursor: null });
  });
});
