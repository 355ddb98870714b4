import type { EmailMessage, EmailSender } from '@smarter/auth';
import { migrate } from '@smarter/data';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { loggerFromConfig } from '../logging/from-config.ts';
import { createLogger } from '../logging/logger.ts';
import { SEND_TIMEOUT_MS } from '../platform/invitation.ts';
import { Browser } from '../testing/browser.ts';
import { testApp } from '../testing/test-app.ts';

const PASSWORD = 'a long and unusual passphrase 42';
const NEW_PASSWORD = 'another quite unusual passphrase 7';
const KEY = 'k1:0123456789abcdef0123456789abcdef0123456789';

/** Every email the app sends, and every log line it writes (at debug), for the leak checks. */
const outbox: EmailMessage[] = [];
const logLines: string[] = [];
const capture: EmailSender = {
  async send(message) {
    outbox.push(message);
  },
};
const { app, db, services, events } = testApp(
  // Every request here comes from one client; the per-client cap on reset requests has its own test (app.test.ts).
  { SMARTER_RESET_EMAIL_LIMIT: '100/900' },
  { email: capture, logger: createLogger({ level: 'debug', write: (line) => void logLines.push(line) }) },
);

/** Every token the app emailed, for the leak checks. */
const tokens: string[] = [];
/** The path and query of the link in the last email to `to` (what the person clicks). */
function linkTo(to: string): string {
  const mail = outbox.findLast((m) => m.to === to);
  const href = mail?.text.match(/https?:\/\/\S+/)?.[0];
  if (!href) throw new Error(`no link emailed to ${to}`);
  const url = new URL(href);
  tokens.push(url.searchParams.get('token') ?? '');
  return `${url.pathname}${url.search}`;
}
/** A page without its per-request values (CSRF token, CSP nonce), to compare two answers. */
const stable = (html: string) => html.replace(/(content|value|nonce)="[\w-]{16,}"/g, '$1="…"').replace(/\s+/g, ' ');

/** Migrates another test app and gives it an account with an admin; returns the admin's `users:write` key. */
async function adminKeyOn(target: ReturnType<typeof testApp>, email: string): Promise<string> {
  await migrate(target.db);
  const account = await target.services.accounts.createAccount('system', 'Other');
  const admin = await target.services.accounts.createUser('system', {
    accountId: account.id,
    email,
    password: PASSWORD,
    role: 'admin',
  });
  return (await target.services.keys.issue(admin, { name: 'k', scopes: ['users:write'] })).token;
}

let accountId = '';
let adminKey = '';

beforeAll(async () => {
  await migrate(db);
  const account = await services.accounts.createAccount('system', 'Alpha');
  accountId = account.id;
  const admin = await services.accounts.createUser('system', {
    accountId,
    email: 'ada@a.example',
    password: PASSWORD,
    role: 'admin',
  });
  adminKey = (await services.keys.issue(admin, { name: 'admin', scopes: ['users:read', 'users:write'] })).token;
});

describe('a user created by an admin over the API', () => {
  it('is emailed a link, chooses a password on /activate, and signs in', async () => {
    const res = await app.request('http://localhost/api/v1/users', {
      method: 'POST',
      body: JSON.stringify({ email: 'New.Hire@a.example' }),
      headers: { 'content-type': 'application/json', authorization: `Token ${adminKey}` },
    });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created).toMatchObject({ email: 'new.hire@a.example', role: 'member', invitation: 'sent' });
    expect(outbox.at(-1)).toMatchObject({ to: 'new.hire@a.example', subject: 'Your Smarter account' });
    expect(outbox.at(-1)?.text).toContain('ada@a.example added you to the Smarter account "Alpha"');
    const link = linkTo('new.hire@a.example');
    // Built on the configured public URL (the test default, http://localhost:8787), never on the request's host.
    expect(outbox.at(-1)?.text).toContain(`http://localhost:8787${link}`);
    expect(link).toMatch(/^\/activate\?token=[\w.-]+$/);
    expect(JSON.stringify(created)).not.toContain(tokens.at(-1));

    const person = new Browser(app);
    // Without a password, nobody can sign in as the new user yet.
    expect((await person.login('new.hire@a.example', '')).status).toBe(401);

    // The link's GET moves the token to a cookie and drops it from the URL; that one response says no-referrer.
    const opened = await person.get(link);
    expect(opened.res.status).toBe(303);
    expect(opened.res.headers.get('location')).toBe('/activate');
    expect(opened.res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(opened.res.headers.get('set-cookie')).toMatch(/^smarter_activation_link=.+; Path=\/activate; HttpOnly/);

    const page = await person.get('/activate');
    expect(page.res.status).toBe(200);
    expect(page.html).toContain('Choose your password');
    expect(page.html).toContain('new.hire@a.example');
    expect(page.html).not.toContain(tokens.at(-1));
    // The form page keeps same-origin: with no-referrer browsers would post `Origin: null`, which CSRF refuses.
    expect(page.res.headers.get('referrer-policy')).toBe('same-origin');

    const weak = await person.post('/activate', { new_password: 'password', new_password_confirm: 'password' });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain('This password is too common.');

    const done = await person.post('/activate', { new_password: PASSWORD, new_password_confirm: PASSWORD });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/?done=activated');
    expect(done.headers.get('set-cookie')).toMatch(/^smarter_activation_link=; Max-Age=0/);
    expect((await person.get('/?done=activated')).html).toContain('Your password is set. Sign in.');

    expect((await person.login('new.hire@a.example', PASSWORD)).status).toBe(303);
    expect((await person.get('/keys')).res.status).toBe(200);
    const user = await services.repositories.users.getByEmail('new.hire@a.example');
    expect(user).toMatchObject({ active: true, emailVerified: true });
    expect(events.find((e) => e.type === 'password.changed' && e.principal === user?.id)).toMatchObject({
      reason: 'ACTIVATED',
    });

    // The link worked once.
    const again = new Browser(app);
    await again.get(link);
    const used = await again.get('/activate');
    expect(used.res.status).toBe(400);
    expect(used.html).toContain('This link does not work');
  });

  it('says when no email could be sent, and the user is still created', async () => {
    const failing = testApp(
      {},
      {
        email: {
          async send() {
            throw new Error('mail server down');
          },
        },
      },
    );
    const off = testApp({ SMARTER_EMAIL: 'off' });
    for (const [target, expected] of [
      [failing, 'failed'],
      [off, 'unavailable'],
    ] as const) {
      const key = await adminKeyOn(target, 'bob@b.example');
      const res = await target.app.request('http://localhost/api/v1/users', {
        method: 'POST',
        body: JSON.stringify({ email: 'carol@b.example' }),
        headers: { 'content-type': 'application/json', authorization: `Token ${key}` },
      });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ email: 'carol@b.example', invitation: expected });
    }
  });

  it('answers failed when the sender hangs, after the send timeout, instead of holding the request', async () => {
    let sending = false;
    const hanging = testApp(
      {},
      {
        email: {
          send: () => {
            sending = true;
            return new Promise<void>(() => {});
          },
        },
      },
    );
    const key = await adminKeyOn(hanging, 'gus@c.example');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const pending = Promise.resolve(
        hanging.app.request('http://localhost/api/v1/users', {
          method: 'POST',
          body: JSON.stringify({ email: 'hal@c.example' }),
          headers: { 'content-type': 'application/json', authorization: `Token ${key}` },
        }),
      );
      // The request reaches the sender after real work (the database, a token): turn the loop until the send has
      // started (its timeout is armed by then), however long that takes on a busy machine, then let the timeout run
      // out. Date is real here; only setTimeout is fake.
      const started = Date.now();
      while (!sending && Date.now() - started < 8_000) await new Promise((resolve) => setImmediate(resolve));
      expect(sending).toBe(true);
      await vi.advanceTimersByTimeAsync(SEND_TIMEOUT_MS);
      const res = await pending;
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ email: 'hal@c.example', invitation: 'failed' });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('a forgotten password', () => {
  it('is reset through the emailed link: a weak password keeps the link, success ends every session', async () => {
    await services.accounts.createUser('system', { accountId, email: 'max@a.example', password: PASSWORD });
    const elsewhere = new Browser(app);
    expect((await elsewhere.login('max@a.example', PASSWORD)).status).toBe(303);

    const person = new Browser(app);
    const login = await person.get('/');
    expect(login.html).toContain('href="/password-reset"');
    expect(login.html).toContain('Forgot your password?');
    const ask = await person.get('/password-reset');
    expect(ask.res.status).toBe(200);
    expect(ask.html).toContain('name="email"');
    const sent = await person.post('/password-reset', { email: ' Max@A.example ' });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain('If an account uses that address');
    await services.flush(); // the email goes out past the response
    const link = linkTo('max@a.example');
    expect(link).toMatch(/^\/reset\?token=[\w.-]+$/);
    expect(outbox.at(-1)?.subject).toBe('Reset your Smarter password');

    const opened = await person.get(link);
    expect(opened.res.status).toBe(303);
    expect(opened.res.headers.get('location')).toBe('/reset');
    expect(opened.res.headers.get('referrer-policy')).toBe('no-referrer');
    const page = await person.get('/reset');
    expect(page.res.status).toBe(200);
    expect(page.html).toContain('Choose a new password');

    const weak = await person.post('/reset', { new_password: '12345678', new_password_confirm: '12345678' });
    expect(weak.status).toBe(400);
    const weakHtml = await weak.text();
    expect(weakHtml).toContain('This password is too short.');
    expect(weakHtml).toContain('This password is entirely numeric.');
    const differ = await person.post('/reset', { new_password: NEW_PASSWORD, new_password_confirm: PASSWORD });
    expect(differ.status).toBe(400);
    expect(await differ.text()).toContain('The two passwords differ.');
    // Neither used the link up.
    expect((await person.get('/reset')).res.status).toBe(200);

    const done = await person.post('/reset', { new_password: NEW_PASSWORD, new_password_confirm: NEW_PASSWORD });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/?done=password-reset');
    expect((await person.get('/?done=password-reset')).html).toContain('Your password was changed');

    // The session from before the reset ended; the old password no longer works, the new one does.
    expect((await elsewhere.get('/keys')).res.status).toBe(303);
    expect((await new Browser(app).login('max@a.example', PASSWORD)).status).toBe(401);
    expect((await new Browser(app).login('max@a.example', NEW_PASSWORD)).status).toBe(303);
    expect(events.filter((e) => e.type === 'password.reset')).toHaveLength(1);

    // Single use: the same link again is refused, with a way to ask for another.
    const replay = new Browser(app);
    await replay.get(link);
    const used = await replay.get('/reset');
    expect(used.res.status).toBe(400);
    expect(used.html).toContain('href="/password-reset"');
    const forced = await replay.post('/reset', { new_password: PASSWORD, new_password_confirm: PASSWORD });
    expect(forced.status).toBe(400);
    expect((await new Browser(app).login('max@a.example', NEW_PASSWORD)).status).toBe(303);
  });

  it('answers an unknown or inactive address with the same page, and emails nobody', async () => {
    await services.accounts.createUser('system', {
      accountId,
      email: 'gone@a.example',
      password: PASSWORD,
      active: false,
    });
    await services.accounts.createUser('system', { accountId, email: 'known@a.example', password: PASSWORD });
    const answer = async (email: string) => {
      const b = new Browser(app);
      await b.get('/password-reset');
      const res = await b.post('/password-reset', { email });
      return { status: res.status, html: stable(await res.text()) };
    };
    const before = outbox.length;
    const known = await answer('known@a.example');
    await services.flush();
    expect(outbox.length).toBe(before + 1);
    for (const email of ['nobody@a.example', 'gone@a.example', 'not an address']) {
      expect(await answer(email)).toEqual(known);
    }
    await services.flush();
    expect(outbox.length).toBe(before + 1);
  });

  it('emails one address at most three times an hour, whoever asks', async () => {
    await services.accounts.createUser('system', { accountId, email: 'busy@a.example', password: PASSWORD });
    for (let i = 0; i < 5; i++) {
      const b = new Browser(app);
      await b.get('/password-reset');
      expect((await b.post('/password-reset', { email: 'busy@a.example' })).status).toBe(200);
    }
    await services.flush();
    expect(outbox.filter((m) => m.to === 'busy@a.example')).toHaveLength(3);
  });

  it('never puts a token in a log line or a journal event', () => {
    for (const mail of outbox) tokens.push(...[...mail.text.matchAll(/[?&]token=([\w.-]+)/g)].map((m) => m[1] ?? ''));
    expect(new Set(tokens).size).toBeGreaterThanOrEqual(5);
    const journal = JSON.stringify(events);
    for (const token of tokens) {
      expect(token.length).toBeGreaterThan(40);
      for (const text of [journal, ...logLines]) expect(text).not.toContain(token);
      // Nor any of its parts that could be replayed (the MAC).
      expect(journal).not.toContain(token.split('.')[3]);
    }
  });
});

describe('without an email sender', () => {
  it('has no "Forgot your password?" link and says reset by email is unavailable; links still work', async () => {
    const { app: offApp, db: offDb, services: off } = testApp({ SMARTER_EMAIL: 'off' });
    await migrate(offDb);
    const account = await off.accounts.createAccount('system', 'Gamma');
    const user = await off.accounts.createUser('system', { accountId: account.id, email: 'gil@g.example' });
    const b = new Browser(offApp);
    expect((await b.get('/')).html).not.toContain('/password-reset');
    const page = await b.get('/password-reset');
    expect(page.res.status).toBe(200);
    expect(page.html).toContain('cannot send emails');
    expect(page.html).not.toContain('name="email"');
    expect((await b.post('/password-reset', { email: 'gil@g.example' })).status).toBe(503);

    // A link made by an operator (or before the sender went away) still sets the password.
    await b.get(`/activate?token=${await off.tokens.create('activation', user)}`);
    expect((await b.get('/activate')).res.status).toBe(200);
    expect((await b.post('/activate', { new_password: PASSWORD, new_password_confirm: PASSWORD })).status).toBe(303);
    expect((await b.login('gil@g.example', PASSWORD)).status).toBe(303);
  });
});

describe('the console sender (SMARTER_EMAIL=console)', () => {
  /** Asks for a reset of a known address on an app whose emails go to a captured log; returns the log lines. */
  async function resetThroughTheLog(env: 'development' | 'test') {
    const lines: string[] = [];
    const config = loadConfig({ SMARTER_ENV: env, SMARTER_SECRET_KEYS: KEY, SMARTER_LOG_LEVEL: 'info' });
    const logger = loggerFromConfig(config, { write: (line) => void lines.push(line) });
    const target = testApp({ SMARTER_ENV: env, SMARTER_EMAIL: 'console' }, { logger });
    await migrate(target.db);
    const account = await target.services.accounts.createAccount('system', 'Delta');
    await target.services.accounts.createUser('system', {
      accountId: account.id,
      email: 'dee@d.example',
      password: PASSWORD,
    });
    const b = new Browser(target.app);
    await b.get('/password-reset');
    expect((await b.post('/password-reset', { email: 'dee@d.example' })).status).toBe(200);
    await target.services.flush();
    return { lines: lines.filter((l) => l.includes('email printed')), events: target.events };
  }

  it('prints the link whole in development, so a developer can follow it; never into the journal', async () => {
    const { lines, events: journal } = await resetThroughTheLog('development');
    expect(lines).toHaveLength(1);
    const token = /\/reset\?token=([\w.-]{40,})/.exec(lines[0] ?? '')?.[1];
    expect(token).toBeDefined();
    expect(JSON.stringify(journal)).not.toContain(token);
  });

  it('masks the token anywhere else (test here; production the same way)', async () => {
    const { lines } = await resetThroughTheLog('test');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('/reset?token=***');
    expect(lines[0]).not.toMatch(/token=(?!\*\*\*)/);
  });
});
