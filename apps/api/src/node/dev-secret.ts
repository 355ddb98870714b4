import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type AppConfig, isPostgresUrl, sqlitePath } from '../config/config.ts';

const KEY = /^[A-Za-z0-9_-]{43,128}$/;

/**
 * Development only: without `SMARTER_SECRET_KEYS`, the server and the CLI would each make a random key, so a key the
 * CLI creates (peppered with its key) would never verify on the server. Both keep one generated key next to the
 * SQLite file instead (`dev-secret-key`, mode 0600). Production never reaches this (the boot refuses a missing key);
 * PostgreSQL and in-memory databases keep the per-process key.
 *
 * @example
 * const config = withDevSecretKey(loadConfig(process.env));
 */
export function withDevSecretKey(config: AppConfig): AppConfig {
  if (!config.secretKeysGenerated || config.env !== 'development' || isPostgresUrl(config.databaseUrl)) return config;
  const path = sqlitePath(config.databaseUrl);
  if (path === ':memory:') return config;
  const file = join(dirname(path), 'dev-secret-key');
  let key: string | undefined;
  try {
    key = readFileSync(file, 'utf8').trim();
  } catch {
    key = undefined;
  }
  if (!key || !KEY.test(key)) {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    key = btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${key}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return { ...config, secretKeys: [key], secretKeysGenerated: false };
}
