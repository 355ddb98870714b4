import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serviceUrl } from '@smarter/security/testing';
import { Miniflare } from 'miniflare';
import { afterAll, describe, expect, it } from 'vitest';
import { fromD1 } from './d1/index.ts';
import { type ContractResult, DATA_CONTRACT, dataContract } from './testing/index.ts';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'smarter-runtimes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function binaryOf(pkg: 'bun' | 'deno'): string {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[pkg];
  if (!bin) throw new Error(`${pkg} has no binary`);
  return join(dirname(manifestPath), bin);
}

/** Runs a contract runner in a real runtime and returns its reported results (the last output line). */
function runInRuntime(command: string, args: readonly string[]): { driver: string; results: ContractResult[] } {
  const run = spawnSync(command, args, {
    cwd: packageDir,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? dir,
      NO_COLOR: '1',
      DENO_NO_UPDATE_CHECK: '1',
    },
  });
  const line = run.stdout.split('\n').find((l) => l.startsWith('CONTRACT_RESULTS '));
  if (run.status !== 0 || line === undefined) {
    throw new Error(`runner failed (status ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  return JSON.parse(line.slice('CONTRACT_RESULTS '.length)) as { driver: string; results: ContractResult[] };
}

/** Every check ran and passed; a failure names the check and why. */
function expectAllPassed(report: { results: ContractResult[] }) {
  const failed = report.results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.error}`);
  expect(failed).toEqual([]);
  expect(report.results.map((r) => r.name)).toEqual(DATA_CONTRACT.map((c) => c.name));
}

const denoArgs = (target: string, net: boolean) => [
  'run',
  '--node-modules-dir=manual',
  '--no-lock',
  '--no-prompt',
  '--conditions=@smarter/source',
  `--allow-read=${packageDir},${dir}`,
  `--allow-write=${dir}`,
  '--allow-env',
  ...(net ? ['--allow-net=127.0.0.1,localhost', '--allow-sys'] : []),
  'test/runners/deno.ts',
  target,
];
const bunArgs = (target: string) => ['--conditions=@smarter/source', 'run', 'test/runners/bun.ts', target];

describe('data contract on real runtimes', () => {
  it('passes on Deno with node:sqlite (file, WAL)', () => {
    const report = runInRuntime(binaryOf('deno'), denoArgs(join(dir, 'deno.sqlite3'), false));
    expect(report.driver).toBe('node-sqlite');
    expectAllPassed(report);
  }, 60_000);

  it('passes on Bun with bun:sqlite (file, WAL)', () => {
    const report = runInRuntime(binaryOf('bun'), bunArgs(join(dir, 'bun.sqlite3')));
    expect(report.driver).toBe('bun-sqlite');
    expectAllPassed(report);
  }, 60_000);
});

const pgUrl = serviceUrl('DATABASE_URL', 'PostgreSQL');
if (pgUrl) {
  describe('data contract with postgres.js on other runtimes', () => {
    it('passes on Deno', () => {
      const report = runInRuntime(binaryOf('deno'), denoArgs(pgUrl, true));
      expect(report.driver).toBe('postgres');
      expectAllPassed(report);
    }, 60_000);

    it('passes on Bun', () => {
      const report = runInRuntime(binaryOf('bun'), bunArgs(pgUrl));
      expect(report.driver).toBe('postgres');
      expectAllPassed(report);
    }, 60_000);
  });
}

// D1 in workerd (Miniflare), driven from here through Miniflare's binding proxy: every statement runs in D1.
const mf = new Miniflare({
  modules: true,
  script: 'export default { fetch: () => new Response(null, { status: 404 }) };',
  compatibilityDate: '2026-04-01',
  d1Databases: { DB: `contract-${Date.now()}` },
  d1Persist: false,
});
afterAll(() => mf.dispose());
dataContract('d1 (Miniflare)', { open: async () => fromD1((await mf.getD1Database('DB')) as never), close: () => {} });
