import { afterAll, beforeAll, describe } from 'vitest';
import { type AppEnv, type RuntimeName, type StartedApp, startApp } from './runtimes.ts';
import { appSuite } from './suites/app.ts';
import { edgeSuite } from './suites/edge.ts';
import { foundationSuite } from './suites/foundation.ts';
import { headersCorsCsrfSuite } from './suites/headers-cors-csrf.ts';
import { CONFORMANCE_BOOTSTRAP_TOKEN, platformSuite } from './suites/platform.ts';

/** What a suite gets: the running app (available inside tests). */
export interface SuiteContext {
  readonly app: () => StartedApp;
  /** The database driver the app runs on (`postgres` when `SMARTER_DATABASE_URL` selects PostgreSQL). */
  readonly driver: string;
}

const EMBEDDED: Readonly<Record<RuntimeName, string>> = {
  node: 'better-sqlite3',
  bun: 'bun-sqlite',
  deno: 'node-sqlite',
  workerd: 'd1',
};

/** Every HTTP suite, run in order against each runtime. Later features add theirs here. */
export const SUITES: ReadonlyArray<readonly [string, (ctx: SuiteContext) => void]> = [
  ['foundation', foundationSuite],
  ['app', appSuite],
  ['edge', edgeSuite],
  ['headers-cors-csrf', headersCorsCsrfSuite],
  ['platform', platformSuite],
];

/** Registers every suite against one runtime; the app is started once and always stopped. */
export function conformance(runtime: RuntimeName, env: AppEnv = {}): void {
  describe(`conformance on ${runtime}${env['SMARTER_DATABASE_URL']?.startsWith('postgres') ? ' with PostgreSQL' : ''}`, () => {
    let started: StartedApp | undefined;
    beforeAll(async () => {
      // SMARTER_ENV=test: the bootstrap token seeds the first admin over HTTP on every runtime (workerd has no CLI).
      started = await startApp(runtime, { SMARTER_BOOTSTRAP_TOKEN: CONFORMANCE_BOOTSTRAP_TOKEN, ...env });
    }, 60_000);
    afterAll(async () => {
      await started?.stop();
    }, 30_000);
    const ctx: SuiteContext = {
      driver: /^postgres(?:ql)?:\/\//i.test(env['SMARTER_DATABASE_URL'] ?? '') ? 'postgres' : EMBEDDED[runtime],
      app: () => {
        if (!started) throw new Error(`${runtime} app is not running`);
        return started;
      },
    };
    for (const [name, suite] of SUITES) describe(name, () => suite(ctx));
  });
}
