import { pbkdf2Engine } from '@smarter/auth';
import type { SqliteDatabase } from '@smarter/data';
import { openBetterSqlite } from '@smarter/data/better-sqlite3';
import { type JournalEvent, memoryStore } from '@smarter/security';
import type { Hono } from 'hono';
import { type AppConfig, type AppDeps, createApp, loadConfig } from '../app.ts';
import { type AppEnv, type AppServices, buildServices, type ServiceDeps } from '../services.ts';

/** A reference app over an in-memory SQLite database (not migrated yet) for one test file. */
export interface TestApp {
  readonly app: Hono<AppEnv>;
  readonly db: SqliteDatabase;
  readonly config: AppConfig;
  readonly services: AppServices;
  /** Every journal event the app emitted, in order. */
  readonly events: JournalEvent[];
}

/**
 * Builds the app the tests exercise: test environment, a fixed key ring, plain-http cookies and no HTTPS redirect,
 * a fast PBKDF2 engine and a journal that records into `events`; `env` adds or overrides settings. Call
 * `migrate(db)` before the first request. `deps` adds what a runtime entry would pass (the peer address, an email
 * sender, a logger, the clock).
 */
export function testApp(
  env: Record<string, string> = {},
  deps: Pick<AppDeps, 'peerAddress'> & Pick<ServiceDeps, 'email' | 'logger' | 'now' | 'onBackgroundFailure'> = {},
): TestApp {
  const { peerAddress, ...overrides } = deps;
  const db = openBetterSqlite(':memory:');
  const events: JournalEvent[] = [];
  const config = loadConfig({
    SMARTER_ENV: 'test',
    SMARTER_SECRET_KEYS: 'k1:0123456789abcdef0123456789abcdef0123456789',
    SMARTER_COOKIE_SECURE: 'false',
    SMARTER_SECURE_REDIRECT: 'false',
    ...env,
  });
  const services = buildServices({
    config,
    db,
    store: memoryStore(),
    passwordEngine: pbkdf2Engine({ iterations: 10_000 }),
    journalSinks: [{ write: (e: JournalEvent) => void events.push(e) }],
    ...overrides,
  });
  return {
    app: createApp({ config, db, services, ...(peerAddress ? { peerAddress } : {}) }),
    db,
    config,
    services,
    events,
  };
}
