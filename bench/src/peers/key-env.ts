// A real API-key set-up for the bench: SQLite (better-sqlite3) migrated by @smarter/data, an account, an active user,
// @smarter/auth's key service over the data repositories and a memory store, and one issued key. Everything is
// looked up by export name, so this says "not available yet" until the packages have landed.
import * as auth from '@smarter/auth';
import * as data from '@smarter/data';
import * as security from '@smarter/security';

type Exports = Record<string, unknown>;

/** The parts of the key service the bench uses. */
export interface KeyService {
  verify(token: string, context?: unknown): Promise<{ ok: boolean }>;
}

/** A ready key set-up. */
export interface KeyEnv {
  readonly service: KeyService;
  readonly token: string;
  readonly store: unknown;
  readonly repositories: unknown;
  close(): Promise<void>;
}

interface Repos {
  accounts: { create(input: { number: string; name: string }): Promise<{ id: string }> };
  users: {
    create(input: Record<string, unknown>): Promise<{ id: string; accountId: string; role: string; active: boolean }>;
  };
}

/** The bench's secret key ring source (strong enough for the production check, public on purpose). */
export const BENCH_SECRET_KEYS = 'bench:9c1f4e2b7a6d3580c1e9f2a4b7d6e3c0a1f8e7d6c5b4a39281706f5e4d3c2b1a';

function need<T>(module: Exports, name: string, pkg: string): T {
  const value = module[name];
  if (typeof value !== 'function') throw new Unavailable(`not available yet: ${pkg} exports no ${name}`);
  return value as T;
}

/** Thrown when an export the set-up needs is missing. */
export class Unavailable extends Error {}

/** Checks the exports without opening anything: `true` or why not. */
export function keyEnvAvailability(): true | string {
  try {
    need(auth as Exports, 'createApiKeyService', '@smarter/auth');
    need(auth as Exports, 'parseKeyRing', '@smarter/auth');
    need(data as Exports, 'createRepositories', '@smarter/data');
    need(data as Exports, 'randomAccountNumber', '@smarter/data');
    need(security as Exports, 'memoryStore', '@smarter/security');
    return true;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Opens (and migrates) an SQLite file, creates an account, a user and a key, and returns the key service.
 * `cacheTtlMs: 0` gives a service whose every verification reads the database (the cold path).
 */
export async function openKeyEnv(path: string, options: { cacheTtlMs?: number } = {}): Promise<KeyEnv> {
  const available = keyEnvAvailability();
  if (available !== true) throw new Unavailable(available);
  const { openBetterSqlite } = (await import('@smarter/data/better-sqlite3')) as unknown as {
    openBetterSqlite(path: string): { close(): Promise<void> };
  };
  const db = openBetterSqlite(path);
  await (data.migrate as (db: unknown) => Promise<unknown>)(db);
  const repositories = need<(db: unknown) => Repos>(data as Exports, 'createRepositories', '@smarter/data')(db);
  const number = need<() => string>(data as Exports, 'randomAccountNumber', '@smarter/data')();
  const account = await repositories.accounts.create({ number, name: 'bench' });
  const user = await repositories.users.create({
    accountId: account.id,
    email: `bench-${Date.now()}@example.test`,
    role: 'admin',
    active: true,
    emailVerified: true,
    passwordHash: null,
  });
  const store = need<(o?: unknown) => unknown>(
    security as Exports,
    'memoryStore',
    '@smarter/security',
  )({
    maxEntries: 10_000,
  });
  const keyRing = need<(s: string) => unknown>(auth as Exports, 'parseKeyRing', '@smarter/auth')(BENCH_SECRET_KEYS);
  const service = need<(o: unknown) => KeyService & { issue(a: unknown, i: unknown): Promise<{ token: string }> }>(
    auth as Exports,
    'createApiKeyService',
    '@smarter/auth',
  )({
    repositories,
    store,
    keyRing,
    ...(options.cacheTtlMs !== undefined ? { cacheTtlMs: options.cacheTtlMs } : {}),
  });
  const { token } = await service.issue(user, { name: 'bench', scopes: ['agents:read'] });
  const check = await service.verify(token);
  if (!check.ok) throw new Error('the issued key did not verify');
  return { service, token, store, repositories, close: () => db.close() };
}
