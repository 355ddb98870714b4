import { agentHostname, migrate } from '@smarter/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { Browser as SharedBrowser } from '../testing/browser.ts';
import { testApp } from '../testing/test-app.ts';

const { app, db, services } = testApp();
type App = typeof app;
const ORIGIN = 'http://localhost';
const PASSWORD = 'a long and unusual passphrase 42';

/** The shared test browser on this file's app, signing in with the file's password by default. */
class Browser extends SharedBrowser {
  constructor(target: App = app) {
    super(target, ORIGIN);
  }
  override login(email: string, password = PASSWORD): Promise<Response> {
    return super.login(email, password);
  }
}

const ACCOUNT_A = { admin: 'ada@a.example', member: 'max@a.example' };
const ADMIN_B = 'bob@b.example';

beforeAll(async () => {
  await migrate(db);
  const accountA = await services.accounts.createAccount('system', 'Alpha');
  const accountB = await services.accounts.createAccount('system', 'Beta');
  const create = (accountId: string, email: string, role: 'admin' | 'member') =>
    services.accounts.createUser('system', { accountId, email, password: PASSWORD, role, active: true });
  await create(accountA.id, ACCOUNT_A.admin, 'admin');
  await create(accountA.id, ACCOUNT_A.member, 'member');
  await create(accountB.id, ADMIN_B, 'admin');
  await services.repositories.agents.create({
    accountId: accountB.id,
    name: 'secret-bot',
    hostname: agentHostname('secret-bot', accountB.number, 'localhost'),
    deployed: true,
  });
});

describe('workbench over the real services (sessions, CSRF, accounts)', () => {
  it('signs in with a new session and a rotated CSRF secret; the pre-login token stops working', async () => {
    const b = new Browser();
    await b.get('/');
    const csrfBefore = b.cookie('csrftoken');
    const tokenBefore = b.token;
    expect(csrfBefore).toBeTruthy();
    const res = await b.post('/login', { email: ACCOUNT_A.admin, password: PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect(b.cookie('session')).toBeTruthy();
    expect(b.cookie('csrftoken')).not.toBe(csrfBefore);
    // A token minted before login (a fixation attempt) is refused after it.
    const stale = await b.post('/logout', {}, tokenBefore);
    expect(stale.status).toBe(403);
    const { html } = await b.get('/');
    expect(html).toContain(ACCOUNT_A.admin);
    expect(html).toContain('action="/logout"');
  });

  it('answers a wrong password and an unknown email the same way, without a session', async () => {
    const answers: Array<{ status: number; message: string | undefined }> = [];
    for (const email of [ACCOUNT_A.admin, 'nobody@a.example']) {
      const b = new Browser();
      await b.get('/');
      const res = await b.post('/login', { email, password: 'not the password at all' });
      const html = await res.text();
      answers.push({ status: res.status, message: /class="flash[^"]*"[^>]*>([^<]+)</.exec(html)?.[1] });
      expect(b.cookie('session')).toBeUndefined();
    }
    expect(answers[0]).toEqual({ status: 401, message: 'Those credentials are not valid.' });
    expect(answers[1]).toEqual(answers[0]);
  });

  it('locks an account after 10 failed sign-ins: 429 with Retry-After, even for the right password', async () => {
    // Its own app: the lock covers the test client's address too, which would refuse every later sign-in here.
    const own = testApp();
    await migrate(own.db);
    const account = await own.services.accounts.createAccount('system', 'Gamma');
    const email = 'gil@c.example';
    await own.services.accounts.createUser('system', {
      accountId: account.id,
      email,
      password: PASSWORD,
      role: 'admin',
      active: true,
    });
    const b = new Browser(own.app);
    await b.get('/');
    const statuses: number[] = [];
    let res: Response | undefined;
    for (let i = 0; i < 11; i++) {
      res = await b.post('/login', { email, password: `wrong password ${i}` });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([...Array.from({ length: 10 }, () => 401), 429]);
    expect(res?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(Number(res?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(res?.headers.get('retry-after'))).toBeLessThanOrEqual(900);
    const html = (await res?.text()) ?? '';
    expect(html).toContain('Too many failed sign-ins. Try again later.');
    expect(html).not.toContain('Those credentials are not valid.');
    const right = await b.post('/login', { email, password: PASSWORD });
    expect(right.status).toBe(429);
    expect(right.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(b.cookie('session')).toBeUndefined();
    expect(own.events.filter((e) => e.type === 'login.locked').map((e) => e.reason)).toContain('ACCOUNT_LOCKED');
  });

  it('creates, deploys and chats with an agent of the own account', async () => {
    const b = new Browser();
    await b.login(ACCOUNT_A.admin);
    await b.get('/');
    const created = await b.post('/agents', { name: 'helpdesk', description: 'Orders' });
    expect(created.headers.get('location')).toBe('/agents/helpdesk?done=created');
    const page = await b.get('/agents/helpdesk');
    expect(page.html).toMatch(/helpdesk\.\d{4}-\d{4}-\d{4}\.localhost/);
    expect((await b.post('/agents/helpdesk/deploy', { deployed: 'true' })).status).toBe(303);
    const chat = await app.request(`${ORIGIN}/agents/helpdesk/chat`, {
      method: 'POST',
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
      headers: {
        origin: ORIGIN,
        'content-type': 'application/json',
        'x-csrftoken': b.token,
        cookie: [...b.jar].map(([k, v]) => `${k}=${v.value}`).join('; '),
      },
    });
    expect(chat.status).toBe(200);
    expect(((await chat.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message).toEqual({
      role: 'assistant',
      content: 'Echo: hi',
    });
    const agent = await services.repositories.agents.getByHost(
      page.html.match(/helpdesk\.[\d-]+\.localhost/)?.[0] ?? '',
    );
    expect(agent?.deployed).toBe(true);
  });

  it('never reaches another account: its agents are 404 and stay untouched', async () => {
    const b = new Browser();
    await b.login(ACCOUNT_A.admin);
    expect((await b.get('/agents/secret-bot')).res.status).toBe(404);
    await b.get('/');
    expect((await b.post('/agents/secret-bot/delete', {})).status).toBe(404);
    expect((await b.post('/agents/secret-bot/deploy', { deployed: 'false' })).status).toBe(404);
    const other = await services.repositories.accounts.getById(
      (await services.repositories.users.getByEmail(ADMIN_B))?.accountId ?? '',
    );
    const agent = await services.repositories.agents.getByName(other?.id ?? '', 'secret-bot');
    expect(agent?.deployed).toBe(true);
    expect((await b.get('/')).html).not.toContain('secret-bot');
  });

  it('keeps members out of the journal and from creating agents', async () => {
    const b = new Browser();
    await b.login(ACCOUNT_A.member);
    expect((await b.get('/journal')).res.status).toBe(404);
    await b.get('/');
    await b.post('/agents', { name: 'member-bot' });
    const account = (await services.repositories.users.getByEmail(ACCOUNT_A.member))?.accountId ?? '';
    expect(await services.repositories.agents.getByName(account, 'member-bot')).toBeUndefined();
  });

  it('shows an admin the journal of the own account only', async () => {
    const b = new Browser();
    await b.login(ADMIN_B);
    const { res, html } = await b.get('/journal');
    expect(res.status).toBe(200);
    const rows = html.slice(html.indexOf('<tbody>'));
    expect(rows).toContain('session.created');
    // Account A's agent events are not in account B's journal.
    expect(rows).not.toContain('agent.created');
  });

  it('a password change ends the other sessions and keeps this one (with a fresh CSRF secret)', async () => {
    const here = new Browser();
    const there = new Browser();
    await here.login(ADMIN_B);
    await there.login(ADMIN_B);
    expect((await there.get('/keys')).res.status).toBe(200);
    await here.get('/account/password');
    const csrfBefore = here.cookie('csrftoken');
    const next = 'another long unusual passphrase 77';
    const res = await here.post('/account/password', {
      current_password: PASSWORD,
      new_password: next,
      new_password_confirm: next,
    });
    expect(res.status).toBe(303);
    expect(here.cookie('csrftoken')).not.toBe(csrfBefore);
    expect((await here.get('/keys')).res.status).toBe(200);
    const elsewhere = await there.get('/keys');
    expect(elsewhere.res.status).toBe(303);
    expect(elsewhere.res.headers.get('location')).toBe('/?next=%2Fkeys');
    // The old password no longer signs in; the new one does.
    expect((await new Browser().login(ADMIN_B)).status).toBe(401);
    expect((await new Browser().login(ADMIN_B, next)).status).toBe(303);
  });

  it('refuses a wrong current password with a message and changes nothing', async () => {
    const b = new Browser();
    await b.login(ACCOUNT_A.member);
    await b.get('/account/password');
    const res = await b.post('/account/password', {
      current_password: 'not my password',
      new_password: 'yet another unusual passphrase 9',
      new_password_confirm: 'yet another unusual passphrase 9',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('The current password is not correct.');
    expect((await new Browser().login(ACCOUNT_A.member)).status).toBe(303);
  });

  it('signs out server-side: a replayed session cookie is signed out too', async () => {
    const b = new Browser();
    await b.login(ACCOUNT_A.admin);
    const saved = new Map(b.jar);
    await b.get('/');
    const out = await b.post('/logout', {});
    expect(out.status).toBe(303);
    expect(b.cookie('session')).toBeUndefined();
    const replay = new Browser();
    for (const [k, v] of saved) replay.jar.set(k, v);
    const { res } = await replay.get('/keys');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/?next=%2Fkeys');
  });
});
