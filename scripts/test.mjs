#!/usr/bin/env node
// The whole test suite: install, build (the conformance suite runs the built entries), then every vitest project.
// Ends with one plain summary line ("tests: N passed, N failed, N skipped") that CI tools can read.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { pnpm } from './run.mjs';

const extra = process.argv.slice(2);
pnpm('install', '--frozen-lockfile');
pnpm('exec', 'turbo', 'run', 'build', '--output-logs=errors-only');

mkdirSync('test-artifacts', { recursive: true });
const report = 'test-artifacts/vitest.json';
const pinned = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).packageManager;
const run = spawnSync(
  'npx',
  [
    '-y',
    pinned,
    'exec',
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...extra,
  ],
  { stdio: 'inherit' },
);
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
} catch {
  console.log('tests: 0 passed, 1 failed');
}
process.exit(run.status ?? 1);
