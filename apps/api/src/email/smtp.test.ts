import { type EmailMessage, pbkdf2Engine } from '@smarter/auth';
import type { SmtpEmailSenderOptions } from '@smarter/auth/smtp-node';
import { migrate } from '@smarter/data';
import { openBetterSqlite } from '@smarter/data/better-sqlite3';
import { isSmarterError, type JournalEvent, Secret } from '@smarter/security';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { startApp } from '../entry/start.ts';
import { testApp } from '../testing/test-app.ts';
import { smtpSenderOptions } from './smtp.ts';

const KEYS = 'k1:0123456789abcdef0123456789abcdef0123456789';
const SMTP = {
  SMARTER_SMTP_URL: 'smtps://mailer%40example.com:s%40cret-9@mail.example.com',
  SMARTER_EMAIL_FROM: 'Smarter <no-reply@example.com>',
};

describe('smtpSenderOptions', () => {
  it('reads TLS mode, port and percent-encoded credentials from the URL', () => {
    const from = 'no-reply@example.com';
    expect(smtpSenderOptions({ url: new Secret(SMTP.SMARTER_SMTP_URL), from })).toEqual({
      host: 'mail.example.com',
      security: 'tls',
      from,
      username: 'mailer@example.com',
      password: 's@cret-9',
    });
    expect(smtpSenderOptions({ url: new Secret('smtp://relay.internal:2525'), from })).toEqual({
      host: 'relay.internal',
      port: 2525,
      security: 'starttls',
      from,
    });
    expect(smtpSenderOptions({ url: new Secret('smtp://[::1]:587'), from }).host).toBe('::1');
  });
});

describe('SMARTER_EMAIL=smtp in the reference server', () => {
  it("sends a new user's invitation through the runtime's SMTP client, and never logs the password", async () => {
    const db = openBetterSqlite(':memory:');
    await migrate(db);
    const events: JournalEvent[] = [];
    const made: SmtpEmailSenderOptions[] = [];
    const sent: EmailMessage[] = [];
    const config = loadConfig({ SMARTER_ENV: 'test', SMARTER_SECRET_KEYS: KEYS, ...SMTP });
    const { app, services, close } = await startApp({
      config,
      db,
      passwordEngine: pbkdf2Engine({ iterations: 10_000 }),
      journalSinks: [{ write: (event: JournalEvent) => void events.push(event) }],
      smtpSender(options) {
        made.push(options);
        return {
          async send(message) {
            sent.push(message);
          },
        };
      },
    });
    try {
      expect(made).toEqual([
        {
          host: 'mail.example.com',
          security: 'tls',
          from: 'Smarter <no-reply@example.com>',
          username: 'mailer@example.com',
          password: 's@cret-9',
        },
      ]);
      const account = await services.accounts.createAccount('system', 'Acme');
      const admin = await services.accounts.createUser('system', {
        accountId: account.id,
        email: 'ada@acme.example',
        password: 'a long and unusual passphrase 42',
        role: 'admin',
      });
      const { token } = await services.keys.issue(admin, { name: 'k', scopes: ['users:write'] });
      const res = await app.request('http://localhost/api/v1/users', {
        method: 'POST',
        body: JSON.stringify({ email: 'bob@acme.example' }),
        headers: { 'content-type': 'application/json', authorization: `Token ${token}` },
      });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ invitation: 'sent' });
      expect(sent.map((m) => m.to)).toEqual(['bob@acme.example']);
      expect(sent[0]?.text).toMatch(/http:\/\/localhost:8787\/activate\?token=/);
      // The start journaled the settings with the URL masked, and nothing anywhere holds the password.
      const loaded = events.find((e) => e.type === 'config.loaded');
      expect(loaded?.details?.['settings']).toMatchObject({ 'smtp.url': 'smtps://***@mail.example.com' });
      expect(JSON.stringify(events)).not.toMatch(/s%40cret|s@cret/);
    } finally {
      await close();
      await db.close();
    }
  });

  it('refuses to start where the runtime has no SMTP client, and to build without startApp', async () => {
    const db = openBetterSqlite(':memory:');
    await migrate(db);
    const config = loadConfig({ SMARTER_ENV: 'test', SMARTER_SECRET_KEYS: KEYS, ...SMTP });
    const refused = await startApp({ config, db }).catch((error: unknown) => error);
    expect(isSmarterError(refused)).toBe(true);
    expect(String((refused as Error).message)).toMatch(/SMARTER_EMAIL=smtp needs sockets.*Workers/);
    expect(() => testApp(SMTP)).toThrow(/SMARTER_EMAIL=smtp: start through startApp/);
    await db.close();
  });
});
