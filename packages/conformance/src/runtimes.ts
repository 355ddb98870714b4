import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The runtimes every conformance suite runs on. */
export const RUNTIME_NAMES = ['node', 'bun', 'deno', 'workerd'] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];

/** A running instance of the reference app. */
export interface StartedApp {
  readonly runtime: RuntimeName;
  readonly baseUrl: string;
  /** Everything the process printed so far (for assertions that nothing leaks, and for failure reports). */
  output(): string;
  stop(): Promise<void>;
  /** workerd only: runs SQL on the app's D1 database (for checks of what the app stored). */
  readonly d1?: (sql: string, ...params: unknown[]) => Promise<Array<Record<string, unknown>>>;
}

/** Extra environment for the app (SPEC §21 names). */
export type AppEnv = Readonly<Record<string, string>>;

/**
 * The key ring every conformance app starts with: only development makes up a key, test mode refuses to start
 * without one (SPEC §17). A test that also runs the CLI on the app's database gives it the same key.
 */
export const CONFORMANCE_SECRET_KEYS = 'conformance:5c0f9e2a7b4d6183e9a1f0c2b7d4e6a3f8c1b2d9e0a7f6c5';

const require = createRequire(import.meta.url);
const apiDir = dirname(fileURLToPath(import.meta.resolve('@smarter/api/package.json')));
const READY = /listening on (http:\/\/\S+)/;
const START_TIMEOUT_MS = 30_000;

/** Path of the real bun or deno binary installed from npm (not the shell shim). */
export function binaryOf(pkg: 'bun' | 'deno'): string {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[pkg];
  if (!bin) throw new Error(`${pkg} has no binary`);
  return join(dirname(manifestPath), bin);
}

function commandFor(runtime: Exclude<RuntimeName, 'workerd'>): [string, string[]] {
  const dist = (name: string) => join(apiDir, 'dist', 'entry', `${name}.js`);
  switch (runtime) {
    case 'node':
      return [process.execPath, [dist('node')]];
    case 'bun':
      return [binaryOf('bun'), ['run', dist('bun')]];
    case 'deno':
      return [
        binaryOf('deno'),
        [
          'run',
          '--node-modules-dir=manual',
          '--no-lock',
          '--no-prompt',
          '--allow-net=127.0.0.1',
          '--allow-read',
          '--allow-write',
          '--allow-env',
          '--allow-sys',
          dist('deno'),
        ],
      ];
  }
}

async function startProcess(runtime: Exclude<RuntimeName, 'workerd'>, env: AppEnv): Promise<StartedApp> {
  const dataDir = await mkdtemp(join(tmpdir(), `smarter-${runtime}-`));
  const [command, args] = commandFor(runtime);
  const child: ChildProcess = spawn(command, args, {
    cwd: apiDir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? dataDir,
      NO_COLOR: '1',
      DENO_NO_UPDATE_CHECK: '1',
      HOST: '127.0.0.1',
      PORT: '0',
      SMARTER_ENV: 'test',
      SMARTER_SECRET_KEYS: CONFORMANCE_SECRET_KEYS,
      SMARTER_DATABASE_URL: join(dataDir, 'smarter.sqlite3'),
      ...env,
    },
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-(child.pid ?? 0), 'SIGTERM');
      } catch {}
      const timer = setTimeout(() => {
        try {
          process.kill(-(child.pid ?? 0), 'SIGKILL');
        } catch {}
      }, 3000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`${runtime} did not start within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      void stop().finally(() => reject(new Error(`${error.message}\n--- output ---\n${output}`)));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = READY.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) =>
      fail(new Error(`${runtime} exited before listening (code ${code}, signal ${signal})`)),
    );
    child.once('error', (error) => fail(error));
  });
  return { runtime, baseUrl, output: () => output, stop };
}

async function startWorkerd(env: AppEnv): Promise<StartedApp> {
  const { Miniflare, Log, LogLevel } = await import('miniflare');
  let output = '';
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(apiDir, 'dist', 'workers', 'workers.js'),
    compatibilityDate: '2026-04-01',
    compatibilityFlags: ['nodejs_compat'],
    d1Databases: { DB: 'smarter-conformance' },
    bindings: { SMARTER_ENV: 'test', SMARTER_SECRET_KEYS: CONFORMANCE_SECRET_KEYS, ...env },
    host: '127.0.0.1',
    port: 0,
    // Lets a check fire the Cron Trigger through /cdn-cgi/handler/scheduled (Miniflare answers it, not the app).
    unsafeTriggerHandlers: true,
    log: new (class extends Log {
      override log(message: string) {
        output += `${message}\n`;
      }
    })(LogLevel.WARN),
  });
  const url = await mf.ready;
  return {
    runtime: 'workerd',
    baseUrl: url.origin,
    output: () => output,
    stop: () => mf.dispose(),
    d1: async (sql, ...params) => {
      const db = await mf.getD1Database('DB');
      const result = await db
        .prepare(sql)
        .bind(...params)
        .all<Record<string, unknown>>();
      return result.results;
    },
  };
}

/** Starts the reference app on a runtime, on 127.0.0.1 with a free port, with a fresh embedded database. */
export function startApp(runtime: RuntimeName, env: AppEnv = {}): Promise<StartedApp> {
  return runtime === 'workerd' ? startWorkerd(env) : startProcess(runtime, env);
}
