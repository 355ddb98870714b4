// Runs the portable checks under `node --test`, `bun test` and `deno test` with scrypt from node:crypto.
import { test } from 'node:test';
import { scryptEngine } from '../dist/password-node/index.js';
import { portableChecks } from './checks.js';

const timings = {};
for (const [name, fn] of portableChecks(scryptEngine(), timings)) test(name, fn);
test('report hash time', () => {
  console.log(`SMARTER_HASH_MS scrypt ${timings.hashMs?.toFixed(1)}`);
});
