import { isSmarterError } from '@smarter/security';
import { describe, expect, it } from 'vitest';
import { redact } from '../logging/redact.ts';
import { loadConfig, maskUrl } from './config.ts';
import { checkDeploy } from './deploy-check.ts';

const STRONG = 'k1:9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddccbbaa';

const production = {
  SMARTER_ENV: 'production',
  SMARTER_SECRET_KEYS: STRONG,
  SMARTER_ALLOWED_HOSTS: 'platform.example.com',
  SMARTER_PUBLIC_URL: 'https://platform.example.com',
  SMARTER_API_DOMAIN: 'api.example.com',
};

function refusal(source: Record<string, string>): string {
  try {
    loadConfig(source);
  } catch (error) {
    expect(isSmarterError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('loadConfig accepted the configuration');
}

describe('loadConfig', () => {
  it('works with no configuration at all, in development, with a generated key', () => {
    const config = loadConfig({});
    expect(config.env).toBe('development');
    expect(config.databaseUrl).toBe('./data/smarter.sqlite3');
    expect(config.secretKeysGenerated).toBe(true);
    expect(config.secretKeys).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect(config.rateLimit).toEqual({ limit: 600, windowMs: 60_000 });
    expect(config.secureRedirect).toBe(false);
    expect(config.staticUrl).toBe('/static/');
    expect(config.log).toEqual({ level: 'info', format: 'pretty', components: {} });
    expect(config.provider.name).toBe('echo');
    expect(config.cookieSecure).toBe(false);
    expect(config.store).toEqual({ kind: 'memory', instances: 1 });
    expect(config.uploads).toEqual({ storage: 'filesystem', maxFileBytes: 10 * 1024 * 1024, s3: undefined });
  });

  it('reads every SPEC §21 variable', () => {
    const config = loadConfig({
      SMARTER_ENV: 'test',
      SMARTER_DATABASE_URL: 'postgres://app:pw@db:5432/app',
      SMARTER_SECRET_KEYS: STRONG,
      SMARTER_ALLOWED_HOSTS: 'Platform.Example.com., localhost:8787',
      SMARTER_API_DOMAIN: 'API.example.com',
      SMARTER_TRUSTED_PROXIES: '10.0.0.0/8, cloudflare, 2001:db8::/32',
      SMARTER_CORS_ORIGINS: 'https://App.example.com:443',
      SMARTER_CSRF_TRUSTED_ORIGINS: 'https://admin.example.com',
      SMARTER_STATIC_ROOT: './public',
      SMARTER_STATIC_URL: '/assets/',
      SMARTER_MEDIA_ROOT: '/var/smarter/media',
      SMARTER_REDIS_URL: 'redis://:pw@127.0.0.1:6379',
      SMARTER_LOG_LEVEL: 'debug',
      SMARTER_LOG_FORMAT: 'json',
      SMARTER_LOG_LEVELS: 'http=warn,journal=error',
    });
    expect(config.allowedHosts).toEqual(['platform.example.com', 'localhost:8787']);
    expect(config.apiDomain).toBe('api.example.com');
    expect(config.trustedProxies).toEqual(['10.0.0.0/8', 'cloudflare', '2001:db8::/32']);
    expect(config.corsOrigins).toEqual(['https://app.example.com']);
    expect(config.csrfTrustedOrigins).toEqual(['https://admin.example.com']);
    expect(config.staticRoot).toBe('./public');
    expect(config.staticUrl).toBe('/assets/');
    expect(config.mediaRoot).toBe('/var/smarter/media');
    expect(config.store.kind).toBe('redis');
    expect(String(config.redisUrl)).toBe('***');
    expect(config.log).toEqual({ level: 'debug', format: 'json', components: { http: 'warn', journal: 'error' } });
    expect(config.secretKeys).toEqual([STRONG]);
    // The config holds the raw keys (the security preset needs them); the logger never prints them.
    expect(JSON.stringify(redact(config))).not.toContain('9f8e7d6c');
    expect(JSON.stringify(config)).not.toContain('redis://:pw@');
  });

  it('reads a hop count of trusted proxies and the rate limit', () => {
    const config = loadConfig({ SMARTER_TRUSTED_PROXIES: '2', SMARTER_RATE_LIMIT: '100/10' });
    expect(config.trustedProxies).toBe(2);
    expect(config.rateLimit).toEqual({ limit: 100, windowMs: 10_000 });
    expect(loadConfig({ SMARTER_RATE_LIMIT: 'off' }).rateLimit).toBeUndefined();
    expect(refusal({ SMARTER_RATE_LIMIT: '0/10' })).toContain('SMARTER_RATE_LIMIT');
  });

  it('refuses a misspelled setting and suggests the right name', () => {
    expect(refusal({ SMARTER_ALOWED_HOSTS: 'a.example.com' })).toMatch(/Unknown setting.*SMARTER_ALLOWED_HOSTS/);
    expect(refusal({ SMARTER_SECRET_KEY: 'x' })).toMatch(/Did you mean SMARTER_SECRET_KEYS\?/);
    // CI's own switch is not a server setting and is never refused.
    expect(loadConfig({ SMARTER_REQUIRE_SERVICES: '1' }).env).toBe('development');
  });

  it('refuses wildcard origins, origins with paths, and garbage proxies without echoing them', () => {
    expect(refusal({ SMARTER_CORS_ORIGINS: '*' })).toContain('SMARTER_CORS_ORIGINS');
    const msg = refusal({ SMARTER_CSRF_TRUSTED_ORIGINS: 'https://x.example.com/secret-path' });
    expect(msg).not.toContain('secret-path');
    expect(refusal({ SMARTER_TRUSTED_PROXIES: 'everyone' })).toContain('SMARTER_TRUSTED_PROXIES');
    expect(refusal({ SMARTER_ALLOWED_HOSTS: '*' })).toContain('SMARTER_ALLOWED_HOSTS');
    expect(refusal({ SMARTER_LOG_LEVELS: 'http=loud' })).toContain('SMARTER_LOG_LEVELS');
  });

  it('boots a safe production configuration', () => {
    const config = loadConfig(production);
    expect(config.cookieSecure).toBe(true);
    expect(config.secureRedirect).toBe(true);
    expect(config.log.format).toBe('json');
    expect(checkDeploy(config).filter((i) => !i.ok)).toEqual([]);
  });

  it.each([
    ['missing secret key', { SMARTER_SECRET_KEYS: '' }, 'SMARTER_SECRET_KEYS'],
    ['weak secret key', { SMARTER_SECRET_KEYS: 'changeme' }, 'is weak'],
    ['debug on', { SMARTER_DEBUG: '1' }, 'debug.off'],
    ['no allowed hosts', { SMARTER_ALLOWED_HOSTS: '' }, 'allowed_hosts.set'],
    ['wildcard host', { SMARTER_ALLOWED_HOSTS: '*.example.com' }, 'allowed_hosts.no_wildcard'],
    ['http CORS origin', { SMARTER_CORS_ORIGINS: 'http://app.example.com' }, 'cors.https_only'],
    ['http CSRF origin', { SMARTER_CSRF_TRUSTED_ORIGINS: 'http://app.example.com' }, 'csrf.https_only'],
    ['insecure cookies', { SMARTER_COOKIE_SECURE: 'false' }, 'cookies.secure'],
    ['HSTS off', { SMARTER_HSTS_SECONDS: '0' }, 'hsts.on'],
    ['memory store on several instances', { SMARTER_INSTANCES: '3' }, 'store.shared'],
  ])('refuses to boot in production with %s', (_, change, expected) => {
    const message = refusal({ ...production, ...change });
    expect(message).toContain(expected);
    expect(message).not.toContain('changeme');
  });

  it('takes SMARTER_STORE_SHARD_KEY as a secret of 32 or more characters, and never prints it', () => {
    const key = 'shards-8f2c4e6a1b3d5f7e9c0a2b4d6f8e1a3c';
    const config = loadConfig({ ...production, SMARTER_STORE_SHARD_KEY: key });
    expect(config.storeShardKey?.reveal()).toBe(key);
    expect(JSON.stringify(config)).not.toContain(key);
    expect(String(config.storeShardKey)).toBe('***');
    expect(loadConfig(production).storeShardKey).toBeUndefined();
    for (const bad of [
      'short-key',
      `${'a'.repeat(20)} ${'b'.repeat(20)}`,
      `${'a'.repeat(20)},${'b'.repeat(20)}`,
      'a'.repeat(40),
      'changeme-changeme-changeme-changeme',
    ]) {
      const message = refusal({ ...production, SMARTER_STORE_SHARD_KEY: bad });
      expect(message).toContain('SMARTER_STORE_SHARD_KEY');
      expect(message).not.toContain(bad);
    }
    // Development accepts a weak one, as it does weak signing keys.
    expect(loadConfig({ SMARTER_STORE_SHARD_KEY: 'a'.repeat(40) }).storeShardKey?.reveal()).toBe('a'.repeat(40));
  });

  it('allows the same unsafe settings outside production, and checkDeploy still reports them', () => {
    const config = loadConfig({ SMARTER_DEBUG: 'true', SMARTER_ALLOWED_HOSTS: '*.example.com' });
    const failed = checkDeploy(config)
      .filter((i) => !i.ok)
      .map((i) => i.id);
    expect(failed).toEqual(
      expect.arrayContaining(['secret_keys.set', 'debug.off', 'allowed_hosts.no_wildcard', 'cookies.secure']),
    );
    expect(failed).not.toContain('allowed_hosts.set');
  });

  it("refuses HSTS preload with less than a year, in the settings' own names", () => {
    expect(refusal({ SMARTER_HSTS_SECONDS: '86400', SMARTER_HSTS_PRELOAD: 'true' })).toMatch(
      /SMARTER_HSTS_PRELOAD.*SMARTER_HSTS_SECONDS/,
    );
    expect(loadConfig({ SMARTER_HSTS_SECONDS: '63072000', SMARTER_HSTS_PRELOAD: 'true' })).toMatchObject({
      hstsSeconds: 63_072_000,
      hstsPreload: true,
    });
  });

  it('builds emailed links on SMARTER_PUBLIC_URL: one of the answered hosts, https outside localhost', () => {
    // Outside production a local default, so the console sender prints links that work; none in production.
    expect(loadConfig({}).publicUrl).toBe('http://localhost:8787');
    expect(loadConfig({ PORT: '3000' }).publicUrl).toBe('http://localhost:3000');
    const bare = loadConfig({ ...production, SMARTER_PUBLIC_URL: '' });
    expect(bare.publicUrl).toBeUndefined();
    expect(checkDeploy(bare).find((i) => i.id === 'public_url.set')).toMatchObject({ ok: false, severity: 'warning' });
    expect(loadConfig(production).publicUrl).toBe('https://platform.example.com');
    expect(
      loadConfig({ SMARTER_ALLOWED_HOSTS: 'app.example.com:8443', SMARTER_PUBLIC_URL: 'https://App.example.com:8443/' })
        .publicUrl,
    ).toBe('https://app.example.com:8443');
    // A host the guard would refuse, plain http off localhost, a path: refused without echoing the value.
    const elsewhere = refusal({ ...production, SMARTER_PUBLIC_URL: 'https://evil.example.net' });
    expect(elsewhere).toContain('public_url.allowed_host');
    expect(elsewhere).not.toContain('evil');
    expect(refusal({ SMARTER_PUBLIC_URL: 'https://evil.example.net' })).toContain('SMARTER_ALLOWED_HOSTS');
    expect(
      refusal({ SMARTER_ALLOWED_HOSTS: 'app.example.com', SMARTER_PUBLIC_URL: 'http://app.example.com' }),
    ).toContain('https://');
    expect(refusal({ SMARTER_PUBLIC_URL: 'http://localhost:8787/reset' })).toContain('SMARTER_PUBLIC_URL');
    // Local names are answered outside production only.
    expect(loadConfig({ SMARTER_PUBLIC_URL: 'https://localhost' }).publicUrl).toBe('https://localhost');
    expect(refusal({ ...production, SMARTER_PUBLIC_URL: 'https://localhost' })).toContain('public_url.allowed_host');
    // Production refuses plain http even on localhost.
    expect(
      refusal({ ...production, SMARTER_ALLOWED_HOSTS: 'localhost', SMARTER_PUBLIC_URL: 'http://localhost:8787' }),
    ).toContain('public_url.https');
  });

  it('prints emails to the log outside production only, unless chosen there (and checkDeploy warns)', () => {
    expect(loadConfig({}).email).toBe('console');
    expect(loadConfig({ SMARTER_ENV: 'test', SMARTER_SECRET_KEYS: STRONG }).email).toBe('console');
    expect(loadConfig(production).email).toBe('off');
    const chosen = loadConfig({ ...production, SMARTER_EMAIL: 'console' });
    expect(chosen.email).toBe('console');
    expect(checkDeploy(chosen).find((i) => i.id === 'email.not_console')).toMatchObject({
      ok: false,
      severity: 'warning',
    });
    expect(refusal({ SMARTER_EMAIL: 'smtp' })).toContain('SMARTER_EMAIL');
  });

  it('sends through SMARTER_SMTP_URL when it is set, and refuses half an SMTP setting without echoing the URL', () => {
    const smtp = {
      SMARTER_SMTP_URL: 'smtps://mailer:s%40cret-9@mail.example.com',
      SMARTER_EMAIL_FROM: 'Smarter <no-reply@example.com>',
    };
    for (const config of [loadConfig({ ...production, ...smtp }), loadConfig(smtp)]) {
      expect(config.email).toBe('smtp');
      expect(config.smtp?.from).toBe('Smarter <no-reply@example.com>');
      expect(String(config.smtp?.url)).not.toContain('s%40cret');
      expect(checkDeploy(config).find((i) => i.id === 'email.not_console')?.ok).toBe(true);
    }
    // A choice of console or off still wins over the URL.
    expect(loadConfig({ ...smtp, SMARTER_EMAIL: 'off' }).email).toBe('off');
    expect(refusal({ SMARTER_SMTP_URL: smtp.SMARTER_SMTP_URL })).toContain('SMARTER_EMAIL_FROM');
    expect(refusal({ SMARTER_EMAIL_FROM: smtp.SMARTER_EMAIL_FROM })).toContain('SMARTER_SMTP_URL');
    expect(refusal({ SMARTER_EMAIL: 'smtp', SMARTER_EMAIL_FROM: 'a@b.example' })).toContain('SMARTER_SMTP_URL');
    for (const url of [
      'http://mailer:s%40cret-9@mail.example.com',
      'smtps://mailer:s%40cret-9@mail.example.com/inbox',
      'smtps://mailer@mail.example.com',
      'smtps://:s%40cret-9@mail.example.com',
    ]) {
      const message = refusal({ SMARTER_SMTP_URL: url, SMARTER_EMAIL_FROM: 'a@b.example' });
      expect(message).toContain('SMARTER_SMTP_URL');
      expect(message).not.toContain('s%40cret');
    }
    expect(refusal({ ...smtp, SMARTER_SMTP_URL: 'smtps://mailer:100%@mail.example.com' })).toContain('%25');
    // The sender goes into a mail header as it is: one line of printable ASCII, an address the sender can parse.
    for (const from of [
      'a@b.example\r\nBcc: x@evil.example',
      'Name <a@b.example',
      'Zoë <a@b.example>',
      'zoë@b.example',
      'a\u0000b@c.example',
      'nobody',
    ]) {
      expect(refusal({ ...smtp, SMARTER_EMAIL_FROM: from })).toContain('SMARTER_EMAIL_FROM');
    }
    expect(loadConfig({ ...smtp, SMARTER_EMAIL_FROM: 'a@b.example' }).smtp?.from).toBe('a@b.example');
  });

  it('needs the S3 and provider settings together', () => {
    expect(refusal({ SMARTER_UPLOAD_STORAGE: 's3', SMARTER_S3_BUCKET: 'media' })).toContain('SMARTER_S3_ENDPOINT');
    expect(refusal({ SMARTER_LLM_PROVIDER: 'openai' })).toContain('SMARTER_LLM_API_KEY');
    const config = loadConfig({
      SMARTER_LLM_PROVIDER: 'openai',
      SMARTER_LLM_BASE_URL: 'http://llm.internal/v1',
      SMARTER_LLM_API_KEY: 'sk-provider-secret',
    });
    expect(JSON.stringify(config)).not.toContain('sk-provider-secret');
    expect(checkDeploy(config).find((i) => i.id === 'provider.https')?.ok).toBe(false);
  });
});

describe('maskUrl', () => {
  it('masks credentials and keeps the rest', () => {
    expect(maskUrl('postgres://app:pw@db:5432/app')).toBe('postgres://***@db:5432/app');
    expect(maskUrl('./data/smarter.sqlite3')).toBe('./data/smarter.sqlite3');
    expect(maskUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    // An unencoded @ or / in the user or password leaves nothing of them behind.
    expect(maskUrl('smtps://mailer@example.com:hunter2-secret@mail.example.com')).toBe('smtps://***@mail.example.com');
    expect(maskUrl('smtps://mailer:p@ss-word@mail.example.com:465')).toBe('smtps://***@mail.example.com:465');
    expect(maskUrl('redis://:pa/ss@cache:6379')).toBe('redis://***@cache:6379');
    // Query values may be credentials too (ioredis reads ?password=).
    expect(maskUrl('redis://cache:6379?password=hunter2')).toBe('redis://cache:6379?***');
    expect(maskUrl('postgres://app:pw@db/app?sslmode=require&x=a@b')).toBe('postgres://***@db/app?***');
  });
});
