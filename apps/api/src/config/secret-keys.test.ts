import { openBetterSqlite } from '@smarter/data/better-sqlite3';
import { isSmarterError } from '@smarter/security';
import { afterAll, describe, expect, it } from 'vitest';
import { startupNotes } from '../logging/from-config.ts';
import { buildServices } from '../services.ts';
import { type AppConfig, loadConfig } from './config.ts';
import { checkDeploy } from './deploy-check.ts';

const STRONG = 'k1:9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddccbbaa';
/** What else production needs, so that only the key decides. */
const PRODUCTION = {
  SMARTER_ENV: 'production',
  SMARTER_ALLOWED_HOSTS: 'platform.example.com',
  SMARTER_PUBLIC_URL: 'https://platform.example.com',
  SMARTER_API_DOMAIN: 'api.example.com',
};

const db = openBetterSqlite(':memory:');
afterAll(() => db.close());

function refusal(load: () => unknown): Error {
  try {
    load();
  } catch (error) {
    expect(isSmarterError(error)).toBe(true);
    expect((error as { code?: string }).code).toBe('CONFIG_INVALID');
    return error as Error;
  }
  throw new Error('the key was accepted');
}

describe('SMARTER_SECRET_KEYS (SPEC §17: no random per-process key outside development)', () => {
  it('development without a key makes a random key for this process, and says so', () => {
    const first = loadConfig({});
    const second = loadConfig({ SMARTER_ENV: 'development', SMARTER_SECRET_KEYS: ' ' });
    expect(first.secretKeysGenerated).toBe(true);
    expect(second.secretKeysGenerated).toBe(true);
    expect(first.secretKeys[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(first.secretKeys).not.toEqual(second.secretKeys);
    expect(buildServices({ config: first, db }).keyRing.ids).toHaveLength(1);
    expect(startupNotes(first, { users: 1 }).join('\n')).toMatch(/No SMARTER_SECRET_KEYS set: a random key/);
    // Development may also run on a weak key of its own choosing.
    expect(loadConfig({ SMARTER_SECRET_KEYS: 'changeme' }).secretKeys).toEqual(['changeme']);
  });

  it.each([
    ['test', { SMARTER_ENV: 'test' }],
    ['production', PRODUCTION],
  ])('%s without a key refuses to load, naming the setting', (env, source) => {
    for (const keys of [{}, { SMARTER_SECRET_KEYS: '' }, { SMARTER_SECRET_KEYS: ' , ' }]) {
      const { message } = refusal(() => loadConfig({ ...source, ...keys }));
      expect(message).toContain('SMARTER_SECRET_KEYS');
      expect(message).toContain(`SMARTER_ENV=${env}`);
    }
    expect(loadConfig({ ...source, SMARTER_SECRET_KEYS: STRONG }).secretKeysGenerated).toBe(false);
  });

  it.each([
    ['test', { SMARTER_ENV: 'test' }],
    ['production', PRODUCTION],
  ])('%s refuses a weak key without echoing it', (_, source) => {
    for (const weak of ['changeme', 'k1:changeme', 'short-but-random-9f8e7d', `${STRONG},k2:${'x'.repeat(40)}`]) {
      const { message } = refusal(() => loadConfig({ ...source, SMARTER_SECRET_KEYS: weak }));
      expect(message).toMatch(/weak/);
      expect(message).not.toContain('changeme');
    }
  });

  it('the services refuse a generated or weak key outside development, whoever built the config', () => {
    const development = loadConfig({});
    const madeUp: AppConfig = { ...development, env: 'test' };
    expect(refusal(() => buildServices({ config: madeUp, db })).message).toContain('SMARTER_SECRET_KEYS');
    const weak: AppConfig = { ...development, env: 'test', secretKeys: ['changeme'], secretKeysGenerated: false };
    expect(refusal(() => buildServices({ config: weak, db })).message).toMatch(/weak/);
  });

  it('check --deploy still loads a production config without a key, to report it', () => {
    const config = loadConfig(PRODUCTION, { enforceDeployChecks: false });
    const failed = checkDeploy(config).filter((item) => !item.ok);
    expect(failed.map((item) => item.id)).toEqual(['secret_keys.set', 'secret_keys.strong']);
    expect(() => buildServices({ config, db })).toThrow(/SMARTER_SECRET_KEYS/);
  });
});
