// Small helpers shared by the root scripts: run the pinned pnpm and stop on the first failure.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const pinned = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).packageManager;

/** Runs `pnpm <args>` with the pinned version; exits the process with its status when it fails. */
export function pnpm(...args) {
  const result = spawnSync('npx', ['-y', pinned, ...args], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
