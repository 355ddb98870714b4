import { parseKeyRing } from '@smarter/auth';
import { databaseJournalSink, migrate } from '@smarter/data';
import { openBetterSqlite } from '@smarter/data/better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { journalChainKeys } from '../journal-chain.ts';
import { EXIT, runCli } from './commands.ts';
import { dataServices } from './data-services.ts';
import type { CliIo, CliServices } from './io.ts';

describe('CLI over @smarter/data and @smarter/auth (better-sqlite3)', () => {
  const db = openBetterSqlite(':memory:');
  const config = loadConfig({
    SMARTER_ENV: 'test',
    SMARTER_SECRET_KEYS: 'k1:9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddccbbaa',
  });
  let services: CliServices;
  let flush: () => Promise<void>;
  beforeAll(async () => {
    await migrate(db);
    const data = dataServices(config, db);
    flush = data.flush;
    services = { config: () => config, ...data };
  });
  afterAll(() => db.close());

  const run = async (argv: string[], stdin = '') => {
    let out = '';
    let err = '';
    const io: CliIo = {
      stdout: (t) => {
        out += t;
      },
      stderr: (t) => {
        err += t;
      },
      readStdin: async () => stdin,
      readFile: async () => '',
      env: {},
    };
    const code = await runCli(argv, io, services);
    return { code, out, err };
  };

  it('creates the first admin, then keys shown once, lists them masked, revokes, and verifies the journal', async () => {
    const admin = await run(
      ['createsuperuser', '--email', 'Ada@Example.com', '--password-stdin'],
      'correct horse battery staple\n',
    );
    expect(admin.code).toBe(EXIT.ok);
    expect(admin.out).toContain('Superuser ada@example.com created');

    const again = await run(
      ['createsuperuser', '--email', 'ada@example.com', '--password-stdin'],
      'another long passphrase\n',
    );
    expect(again.code).toBe(EXIT.failed);
    expect(again.err).toContain('USER_EXISTS');

    const created = await run([
      'keys',
      'create',
      '--user',
      'ada@example.com',
      '--name',
      'ci',
      '--scopes',
      'chat',
      '--json',
    ]);
    expect(created.code).toBe(EXIT.ok);
    const key = JSON.parse(created.out) as { id: string; key: string; scopes: string[] };
    expect(key.key.length).toBeGreaterThan(40);
    expect(key.scopes).toEqual(['chat']);

    const listed = await run(['keys', 'list', '--user', 'ada@example.com', '--json']);
    expect(listed.out).not.toContain(key.key);
    expect(JSON.parse(listed.out).keys).toEqual([
      expect.objectContaining({ id: key.id, name: 'ci', lastFour: key.key.slice(-4), active: true }),
    ]);
    // Another superuser's key is not ada's, though a superuser's own list() holds every account's keys.
    await run(['createsuperuser', '--email', 'eve@example.com', '--password-stdin'], 'a different long passphrase\n');
    const eves = await run(['keys', 'create', '--user', 'eve@example.com', '--name', 'eve', '--json']);
    expect(eves.code).toBe(EXIT.ok);
    const both = JSON.parse((await run(['keys', 'list', '--user', 'ada@example.com', '--json'])).out);
    expect(both.keys.map((k: { id: string }) => k.id)).toEqual([key.id]);

    // An operator links a provider account to the superuser (an email match never would), lists and removes it.
    const link = ['oauth', 'link', '--user', 'ada@example.com', '--provider', 'github', '--subject', '4242'];
    expect((await run(link)).code).toBe(EXIT.ok);
    expect((await run(link)).code).toBe(EXIT.failed);
    const links = JSON.parse((await run(['oauth', 'links', '--user', 'ada@example.com', '--json'])).out);
    expect(links.links).toEqual([
      expect.objectContaining({ provider: 'github', subject: '4242', user: 'ada@example.com' }),
    ]);
    const unlink = ['oauth', 'unlink', '--provider', 'github', '--subject', '4242'];
    expect((await run(unlink)).code).toBe(EXIT.ok);
    expect((await run(unlink)).code).toBe(EXIT.failed);
    expect(JSON.parse((await run(['oauth', 'links', '--user', 'ada@example.com', '--json'])).out).links).toEqual([]);
    expect(
      (await run(['oauth', 'link', '--user', 'ada@example.com', '--provider', 'myspace', '--subject', '1'])).code,
    ).toBe(EXIT.usage);

    expect((await run(['keys', 'revoke', key.id])).code).toBe(EXIT.ok);
    expect((await run(['keys', 'revoke', key.id])).code).toBe(EXIT.failed);
    const after = JSON.parse((await run(['keys', 'list', '--user', 'ada@example.com', '--json'])).out);
    expect(after.keys[0].active).toBe(false);

    const weak = await run(['createsuperuser', '--email', 'bob@example.com', '--password-stdin'], '12345678\n');
    expect(weak.code).toBe(EXIT.failed);
    expect(weak.err).toContain('PASSWORD_INVALID');

    await flush(); // journal writes run off the command path
    const verified = await run(['journal', 'verify']);
    expect(verified.code).toBe(EXIT.ok);
    expect(verified.out).toMatch(/Journal intact: [1-9]\d* events verified/);
    const tail = await run(['journal', 'tail', '--type', 'key.revoked', '--json']);
    expect(tail.out).toContain('"type":"key.revoked"');
  });

  it('prints a journaled path with escape sequences as text, never as terminal control', async () => {
    // Keyed like the CLI's own writes, so the chain stays whole for any later verify.
    const ring = parseKeyRing(config.secretKeys.join(','), { requireStrong: false });
    const sink = databaseJournalSink(db, { chainKeys: journalChainKeys(ring) });
    await sink.write({
      id: 'esc',
      time: new Date().toISOString(),
      type: 'path.sensitive',
      severity: 'warning',
      path: '/a\u001b[31mred\u001b]0;owned\u0007\u009b2J',
    });
    const tail = await run(['journal', 'tail', '--type', 'path.sensitive']);
    const control = [...tail.out].filter((ch) => {
      const code = ch.charCodeAt(0);
      return (code < 0x20 && ch !== '\n') || (code >= 0x7f && code <= 0x9f);
    });
    expect(control).toEqual([]);
    expect(tail.out).toContain('/a\\x1b[31mred\\x1b]0;owned\\x07');
    const json = await run(['journal', 'tail', '--type', 'path.sensitive', '--json']);
    expect([...json.out].filter((ch) => ch.charCodeAt(0) >= 0x7f && ch.charCodeAt(0) <= 0x9f)).toEqual([]);
    expect(json.out).toContain('\\u009b2J');
    expect((await run(['journal', 'verify'])).code).toBe(EXIT.ok);
  });
});
