import { createJournal, memorySink, Secret } from '@smarter/security';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { logEmailSender } from '../email/log-sender.ts';
import { journalConfigStart, memoryConfigState } from './config-journal.ts';
import { loggerFromConfig } from './from-config.ts';
import { loggerJournalSink } from './journal-sink.ts';
import { createLogger } from './logger.ts';
import { developmentText, redact, redactText } from './redact.ts';

const NOW = Date.UTC(2026, 10, 29, 3, 0, 0);
const KEY = 'k1:9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddccbbaa';

function capture() {
  const lines: { line: string; level: string }[] = [];
  return { lines, write: (line: string, level: string) => lines.push({ line, level }) };
}

describe('redact', () => {
  it('masks sensitive names, Secrets, headers and credential-looking text; keeps the rest', () => {
    const headers = new Headers({ authorization: 'Token smarter_abcdefghijkl', accept: 'application/json' });
    const out = redact({
      user: 'u1',
      password: 'hunter2-hunter2',
      apiKey: 'sk-live-1234567890',
      nested: { sessionId: 'abc', cookie: 'sid=1', provider: new Secret('sk-provider') },
      headers,
      note: 'called with Bearer abcdefghijklmnop and postgres://app:pw@db/app',
      maxTokens: 128,
      cookieSecure: true,
    }) as Record<string, unknown>;
    const text = JSON.stringify(out);
    for (const leak of ['hunter2', 'sk-live', 'sid=1', 'sk-provider', 'smarter_abc', 'abcdefghijklmnop', ':pw@']) {
      expect(text).not.toContain(leak);
    }
    expect(out['user']).toBe('u1');
    expect(out['maxTokens']).toBe(128);
    expect(out['cookieSecure']).toBe(true);
    expect(out['headers']).toEqual({ authorization: '***', accept: 'application/json' });
    expect(out['note']).toBe('called with *** and postgres://***@db/app');
  });

  it('never prints an error message or stack, and survives cycles and depth', () => {
    const error = new Error('ENOENT: /etc/secret/path SELECT * FROM users');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    const out = JSON.stringify(redact({ error, cyclic }));
    expect(out).not.toContain('/etc/secret');
    expect(out).not.toContain('SELECT');
    expect(out).toContain('[circular]');
  });

  it('masks a Smarter API key and secret query parameters inside a message', () => {
    const key = `smk_${'b'.repeat(16)}_${'C3'.repeat(24)}`;
    const line = redactText(`rejected ${key} for /oauth/callback?code=4/0Ab&state=s1`);
    expect(line).not.toContain(key);
    expect(line).not.toContain('4/0Ab');
    expect(line).toContain('rejected *** for /oauth/callback?code=***&state=***');
  });

  it('bounds long strings', () => {
    expect(redactText('x'.repeat(5000)).length).toBeLessThan(2100);
  });
});

describe('development text (the console email sender)', () => {
  const LINK = 'https://platform.example.com/reset?token=dTE.mx2azw7r.k1.mbmRc0qrCt58sB8lartVfc3f23W7ti4MPZkLqdrP0Ac';
  const TOKEN = 'mbmRc0qrCt58sB8lartVfc3f23W7ti4MPZkLqdrP0Ac';
  const mail = { to: 'dee@d.example', subject: 'Reset', text: `Follow:\n\n${LINK}\n` };

  it('is printed whole only by a development logger; production and test mask the token', async () => {
    const printed: Record<string, string> = {};
    for (const env of ['development', 'test', 'production'] as const) {
      const out = capture();
      const config = loadConfig({
        SMARTER_ENV: env,
        SMARTER_SECRET_KEYS: KEY,
        SMARTER_ALLOWED_HOSTS: 'platform.example.com',
        SMARTER_PUBLIC_URL: 'https://platform.example.com',
        SMARTER_LOG_LEVEL: 'info',
      });
      await logEmailSender(loggerFromConfig(config, { write: out.write }).child('email')).send(mail);
      printed[env] = out.lines.map((l) => l.line).join('\n');
    }
    expect(printed['development']).toContain(LINK);
    for (const env of ['test', 'production']) {
      expect(printed[env]).toContain('https://platform.example.com/reset?token=***');
      expect(printed[env]).toContain('dee@d.example');
      expect(printed[env]).not.toContain(TOKEN);
    }
  });

  it('is masked by redact, JSON.stringify and a logger not told to print it', () => {
    const out = capture();
    createLogger({ write: out.write }).info('email', { text: developmentText(LINK) });
    expect(out.lines[0]?.line).not.toContain(TOKEN);
    expect(JSON.stringify(redact({ text: developmentText(LINK) }))).not.toContain(TOKEN);
    expect(JSON.stringify({ text: developmentText(LINK) })).not.toContain(TOKEN);
    const dev = capture();
    createLogger({ write: dev.write, printDevelopmentText: true }).info('email', { text: developmentText(LINK) });
    expect(dev.lines[0]?.line).toContain(TOKEN);
  });
});

describe('createLogger', () => {
  it('writes JSON lines with time, level, component and redacted fields', () => {
    const out = capture();
    const log = createLogger({ write: out.write, now: () => NOW });
    log.child('http').info('request', { status: 200, authorization: 'Bearer abcdefghijkl' });
    expect(out.lines).toHaveLength(1);
    expect(JSON.parse(out.lines[0]?.line ?? '')).toEqual({
      time: '2026-11-29T03:00:00.000Z',
      level: 'info',
      component: 'http',
      msg: 'request',
      status: 200,
      authorization: '***',
    });
  });

  it('applies the level and per-component levels (longest prefix wins)', () => {
    const out = capture();
    const log = createLogger({ level: 'info', components: { http: 'warn', 'http.access': 'debug' }, write: out.write });
    log.debug('root debug');
    log.info('root info');
    log.child('http').info('http info');
    log.child('http').warn('http warn');
    log.child('http').child('access').debug('access debug');
    const messages = out.lines.map((l) => JSON.parse(l.line).msg);
    expect(messages).toEqual(['root info', 'http warn', 'access debug']);
    expect(log.child('http').enabled('info')).toBe(false);
    expect(createLogger({ level: 'silent', write: out.write }).enabled('error')).toBe(false);
  });

  it('pretty-prints for development, still redacted', () => {
    const out = capture();
    createLogger({ format: 'pretty', write: out.write, now: () => NOW }).warn('login failed', {
      email: 'a@example.com',
      password: 'hunter2',
    });
    expect(out.lines[0]).toEqual({
      line: '03:00:00.000 WARN  [app] login failed email=a@example.com password=***',
      level: 'warn',
    });
  });
});

describe('journalConfigStart', () => {
  const journalWith = () => {
    const sink = memorySink();
    return { sink, journal: createJournal({ sinks: [sink], now: () => NOW }) };
  };

  it('journals config.loaded with masked settings, and no change on the first start', async () => {
    const { sink, journal } = journalWith();
    const config = loadConfig({
      SMARTER_ENV: 'test',
      SMARTER_SECRET_KEYS: KEY,
      SMARTER_DATABASE_URL: 'postgres://app:dbpass@db/app',
      SMARTER_LLM_PROVIDER: 'openai',
      SMARTER_LLM_BASE_URL: 'https://llm.example.com/v1',
      SMARTER_LLM_API_KEY: 'sk-provider-secret',
    });
    const report = await journalConfigStart({ config, journal, state: memoryConfigState() });
    expect(sink.events.map((e) => e.type)).toEqual(['config.loaded']);
    const text = JSON.stringify(sink.events);
    expect(text).not.toContain('9f8e7d6c');
    expect(text).not.toContain('dbpass');
    expect(text).not.toContain('sk-provider-secret');
    expect(report.settings['database.url']).toBe('postgres://***@db/app');
    expect(report.settings['secretKeys.ids']).toEqual(['k1']);
    expect(report.settings['provider.apiKey.digest']).toMatch(/^[0-9a-f]{16}$/);
    expect(report.changes).toEqual([]);
  });

  it('journals config.changed with each changed setting, and nothing when a restart changes nothing', async () => {
    const state = memoryConfigState();
    const first = journalWith();
    const base = { SMARTER_ENV: 'test', SMARTER_SECRET_KEYS: KEY, SMARTER_ALLOWED_HOSTS: 'a.example.com' };
    await journalConfigStart({ config: loadConfig(base), journal: first.journal, state });

    const same = journalWith();
    await journalConfigStart({ config: loadConfig(base), journal: same.journal, state });
    expect(same.sink.events.map((e) => e.type)).toEqual(['config.loaded']);

    const changed = journalWith();
    const rotated = { ...base, SMARTER_SECRET_KEYS: `k2:0a1b2c3d4e5f60718293a4b5c6d7e8f9aabbccddeeff,${KEY}` };
    const report = await journalConfigStart({
      config: loadConfig({ ...rotated, SMARTER_ALLOWED_HOSTS: 'b.example.com' }),
      journal: changed.journal,
      state,
    });
    expect(changed.sink.events.map((e) => e.type)).toEqual(['config.loaded', 'config.changed']);
    expect(report.changes.map((c) => c.setting)).toEqual(['allowedHosts', 'secretKeys.digest', 'secretKeys.ids']);
    expect(report.changes[0]).toEqual({ setting: 'allowedHosts', before: ['a.example.com'], after: ['b.example.com'] });
    expect(JSON.stringify(changed.sink.events)).not.toContain('0a1b2c3d');
  });

  it('rejects when the state store is down (the caller decides), after journaling the start', async () => {
    const { sink, journal } = journalWith();
    const down = {
      load: () => Promise.reject(new Error('store down')),
      save: () => Promise.reject(new Error('store down')),
    };
    await expect(journalConfigStart({ config: loadConfig({}), journal, state: down })).rejects.toThrow('store down');
    expect(sink.events.map((e) => e.type)).toEqual([]);
  });
});

describe('loggerJournalSink', () => {
  it('prints journal events through the logger at a matching level, redacted', () => {
    const out = capture();
    const journal = createJournal({ sinks: [loggerJournalSink(createLogger({ write: out.write }).child('journal'))] });
    journal.emit({
      type: 'auth.failed',
      severity: 'warning',
      reason: 'BAD_KEY',
      details: { token: 'smarter_abc123456789' },
    });
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]?.level).toBe('warn');
    const line = JSON.parse(out.lines[0]?.line ?? '');
    expect(line).toMatchObject({
      component: 'journal',
      msg: 'auth.failed',
      reason: 'BAD_KEY',
      details: { token: '***' },
    });
    expect(out.lines[0]?.line).not.toContain('abc123456789');
  });
});

describe('loggerFromConfig and startupNotes', () => {
  it('builds the logger from SMARTER_LOG_* settings', async () => {
    const { loggerFromConfig } = await import('./from-config.ts');
    const out = capture();
    const config = loadConfig({
      SMARTER_LOG_LEVEL: 'warn',
      SMARTER_LOG_FORMAT: 'json',
      SMARTER_LOG_LEVELS: 'http=debug',
    });
    const log = loggerFromConfig(config, { write: out.write, now: () => NOW });
    log.info('hidden');
    log.child('http').debug('shown', { apiKey: 'sk-123456789' });
    expect(out.lines.map((l) => JSON.parse(l.line))).toEqual([
      { time: '2026-11-29T03:00:00.000Z', level: 'debug', component: 'http', msg: 'shown', apiKey: '***' },
    ]);
  });

  it('tells a first run how to create the first admin, and stays quiet in a configured production', async () => {
    const { startupNotes } = await import('./from-config.ts');
    const first = startupNotes(loadConfig({}), { users: 0 });
    expect(first.join('\n')).toContain('npm run smarter -- createsuperuser --email');
    expect(first.join('\n')).toContain('random key');
    const production = loadConfig({
      SMARTER_ENV: 'production',
      SMARTER_SECRET_KEYS: KEY,
      SMARTER_ALLOWED_HOSTS: 'platform.example.com',
    });
    expect(startupNotes(production, { users: 3 })).toEqual([]);
  });
});
