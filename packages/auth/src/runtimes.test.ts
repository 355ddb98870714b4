import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// Drives runtime-checks/ on the four runtimes: node --test, bun test, deno test, and a Worker in workerd (Miniflare).
// The checks import the BUILT package, so run `turbo run build` first (npm test does).
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, '..', 'conformance', 'node_modules', '.bin');
const checks = join(root, 'runtime-checks');
const hashMs: Record<string, number> = {};

function run(command: string, args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? tmpdir(),
        NO_COLOR: '1',
        DENO_NO_UPDATE_CHECK: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function recordHash(runtime: string, output: string): void {
  const match = /SMARTER_HASH_MS (\S+) ([\d.]+)/.exec(output);
  if (match) hashMs[`${runtime} (${match[1]})`] = Number(match[2]);
}

afterAll(() => {
  if (Object.keys(hashMs).length > 0) console.log(`password hash time per runtime (ms): ${JSON.stringify(hashMs)}`);
});

describe('portable auth checks on every runtime', () => {
  it('has a build to test', () => {
    expect(existsSync(join(root, 'dist', 'index.js')), 'run `turbo run build` first').toBe(true);
    expect(existsSync(join(root, 'dist', 'password-node', 'index.js'))).toBe(true);
  });

  it('passes on Node (node --test)', async () => {
    const { code, output } = await run(process.execPath, ['--test', join(checks, 'portable.test.js')]);
    expect(code, output).toBe(0);
    expect(output).toMatch(/# pass 4/);
    recordHash('node', output);
  }, 120_000);

  it('passes on Bun (bun test)', async () => {
    const { code, output } = await run(join(bin, 'bun'), ['test', join(checks, 'portable.test.js')]);
    expect(code, output).toBe(0);
    expect(output).toMatch(/\b4 pass\b/);
    expect(output).toMatch(/\b0 fail\b/);
    recordHash('bun', output);
  }, 120_000);

  it('passes on Deno (deno test)', async () => {
    const { code, output } = await run(join(bin, 'deno'), [
      'test',
      '--no-lock',
      '--no-check',
      '--node-modules-dir=manual',
      '--allow-read',
      '--allow-env',
      join(checks, 'portable.test.js'),
    ]);
    expect(code, output).toBe(0);
    expect(output).toMatch(/ok \| 4 passed \| 0 failed/);
    recordHash('deno', output);
  }, 120_000);

  it('passes on workerd (a Worker run by Miniflare, PBKDF2 engine)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'smarter-auth-worker-'));
    try {
      const { build } = await import('tsdown');
      await build({
        config: false,
        entry: { worker: join(checks, 'worker.js') },
        outDir: out,
        format: 'esm',
        platform: 'browser',
        dts: false,
        clean: false,
        sourcemap: false,
        logLevel: 'silent',
        external: [/^node:/],
        noExternal: [/./],
        outExtensions: () => ({ js: '.js' }),
      });
      const { Miniflare } = await import('miniflare');
      const mf = new Miniflare({
        modules: true,
        scriptPath: join(out, 'worker.js'),
        modulesRoot: out,
        compatibilityDate: '2026-04-01',
        compatibilityFlags: ['nodejs_compat'],
      });
      try {
        const res = await mf.dispatchFetch('http://localhost/');
        const body = (await res.json()) as { results: { name: string; ok: boolean; error?: string }[]; hashMs: number };
        expect(body.results.length).toBe(3);
        for (const r of body.results) expect(r, r.error).toMatchObject({ ok: true });
        hashMs['workerd (pbkdf2-sha256)'] = Number(body.hashMs.toFixed(1));
      } finally {
        await mf.dispose();
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
