// Every server the harness can measure: the peer fixtures on Node, the reference app on each runtime, and the ladder
// steps. A server whose code has not landed yet says why instead of failing the run.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerCommand } from '../lib/server.ts';
import { BENCH_SECRET_KEYS } from './key-env.ts';
import { smarterLadderAvailability, smarterPresetAvailability } from './smarter-availability.ts';

/** Where the bench package and the reference app live. */
export const BENCH_DIR: string = fileURLToPath(new URL('../..', import.meta.url));
export const ROOT_DIR: string = join(BENCH_DIR, '..');
export const API_DIR: string = join(ROOT_DIR, 'apps', 'api');

const require = createRequire(import.meta.url);

/** A server the harness can start. */
export interface ServerDef {
  readonly id: string;
  readonly label: string;
  /** `true`, or why it cannot run yet. */
  available(): Promise<true | string>;
  command(): ServerCommand;
}

/**
 * V8 flags every Node server of the bench runs with, peers and Smarter alike. V8's allocation-site pretenuring
 * misfires on long-running HTTP servers that did a burst of work at start-up (here: migrations and a key issued
 * through Drizzle): it starts allocating short-lived per-request objects straight into the old generation, and
 * scavenges then take 15-30 ms instead of 0.5 ms (measured with --trace-gc), halving throughput in some processes
 * and not others. The reference server's `npm start` sets the same flag.
 */
export const NODE_SERVER_FLAGS: readonly string[] = ['--no-allocation-site-pretenuring'];

function fixture(name: string, env: Record<string, string> = {}): ServerCommand {
  return {
    command: process.execPath,
    args: [...NODE_SERVER_FLAGS, '--import', 'tsx', join(BENCH_DIR, 'src', 'peers', 'fixtures', `${name}.ts`)],
    cwd: BENCH_DIR,
    env,
  };
}

const always = async (): Promise<true> => true;

/** Bare Hono, the baseline. */
export const bareHono: ServerDef = {
  id: 'bare-hono',
  label: 'bare Hono',
  available: always,
  command: () => fixture('bare-hono'),
};

/**
 * Reference: bare Hono sending the preset's response headers (copied from the preset at start-up, one plain object
 * per response) and running no guard. Its distance from bare Hono is what SPEC §7's headers alone cost; the preset's
 * distance from it is what every guard together costs.
 */
export const bareHeaders: ServerDef = {
  id: 'bare-headers',
  label: "bare Hono + the preset's headers (no guards)",
  available: smarterPresetAvailability,
  command: () => fixture('bare-headers'),
};

/** Hono with its built-in secureHeaders, cors, csrf, bodyLimit, requestId and bearerAuth. */
export const honoBuiltins: ServerDef = {
  id: 'hono-builtins',
  label: 'Hono built-ins',
  available: always,
  command: () => fixture('hono-builtins'),
};

/** Express 5 with helmet, cors, express-rate-limit and a token check. */
export const expressPeer: ServerDef = {
  id: 'express',
  label: 'Express 5 + helmet + cors + rate limit',
  available: always,
  command: () => fixture('express'),
};

/** Our preset with API-key auth on SQLite, same routes. */
export const smarterPreset: ServerDef = {
  id: 'smarter',
  label: 'Smarter preset (API keys on SQLite)',
  available: smarterPresetAvailability,
  command: () =>
    fixture('smarter', { BENCH_SQLITE: join(mkdtempSync(join(tmpdir(), 'smarter-bench-')), 'db.sqlite3') }),
};

/** The peers of the main comparison, baseline first, then the headers-only reference. */
export const PEERS: readonly ServerDef[] = [bareHono, bareHeaders, honoBuiltins, expressPeer, smarterPreset];

/** A ladder step of Hono's built-ins: the first `guards` of the list. */
export function honoLadderStep(guards: readonly string[]): ServerDef {
  return {
    id: `hono+${guards.join('+') || 'none'}`,
    label: guards.length === 0 ? 'bare Hono' : `+ ${guards.at(-1)}`,
    available: always,
    command: () => fixture('hono-builtins', { BENCH_GUARDS: guards.join(',') }),
  };
}

/** A ladder step of our guards. */
export function smarterLadderStep(guards: readonly string[]): ServerDef {
  return {
    id: `smarter+${guards.join('+') || 'none'}`,
    label: guards.length === 0 ? 'bare Hono' : `+ ${guards.at(-1)}`,
    available: smarterLadderAvailability,
    command: () =>
      fixture('smarter-ladder', {
        BENCH_GUARDS: guards.join(','),
      }),
  };
}

function binaryOf(pkg: 'bun' | 'deno'): string {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[pkg];
  if (!bin) throw new Error(`${pkg} has no binary`);
  return join(dirname(manifestPath), bin);
}

function built(path: string): () => Promise<true | string> {
  return async () => (existsSync(path) ? true : `not built: run \`npm run build\` (missing ${path})`);
}

/**
 * The reference app's settings for a load test: test mode, loopback host allowed, a key ring, and the API rate limit
 * kept in the path but set so high that the load generator (one client) never trips it.
 */
export const APP_SETTINGS: Readonly<Record<string, string>> = {
  SMARTER_ENV: 'test',
  SMARTER_ALLOWED_HOSTS: '127.0.0.1,localhost',
  SMARTER_SECRET_KEYS: BENCH_SECRET_KEYS,
  SMARTER_RATE_LIMIT: '9999999/60',
  // The load generator is the app's proxy: the unknown-path runs send a fresh client address per request.
  SMARTER_TRUSTED_PROXIES: '127.0.0.1/32',
};

function appEnv(): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'smarter-bench-app-'));
  return { ...APP_SETTINGS, SMARTER_DATABASE_URL: join(dir, 'smarter.sqlite3') };
}

const entry = (name: string) => join(API_DIR, 'dist', 'entry', `${name}.js`);
const workerScript = join(API_DIR, 'dist', 'workers', 'workers.js');

/** The reference app (apps/api, built) on each runtime. */
export const RUNTIMES: readonly ServerDef[] = [
  {
    id: 'app-node',
    label: 'Node',
    available: built(entry('node')),
    command: () => ({
      command: process.execPath,
      args: [...NODE_SERVER_FLAGS, entry('node')],
      cwd: API_DIR,
      env: appEnv(),
    }),
  },
  {
    id: 'app-bun',
    label: 'Bun',
    available: built(entry('bun')),
    command: () => ({ command: binaryOf('bun'), args: ['run', entry('bun')], cwd: API_DIR, env: appEnv() }),
  },
  {
    id: 'app-deno',
    label: 'Deno',
    available: built(entry('deno')),
    command: () => ({
      command: binaryOf('deno'),
      args: [
        'run',
        '--node-modules-dir=manual',
        '--no-lock',
        '--no-prompt',
        '--allow-net=127.0.0.1',
        '--allow-read',
        '--allow-write',
        '--allow-env',
        '--allow-sys',
        entry('deno'),
      ],
      cwd: API_DIR,
      env: appEnv(),
    }),
  },
  {
    id: 'app-workerd',
    label: 'workerd (Miniflare)',
    available: built(workerScript),
    command: () => ({
      command: process.execPath,
      args: ['--import', 'tsx', join(BENCH_DIR, 'src', 'peers', 'fixtures', 'workerd-app.ts'), workerScript],
      cwd: BENCH_DIR,
      env: { BENCH_BINDINGS: JSON.stringify(APP_SETTINGS) },
    }),
  },
];
