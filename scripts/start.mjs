#!/usr/bin/env node
// Quick start: install everything, build what the reference server needs, and run it on Node with SQLite.
import { pnpm } from './run.mjs';

pnpm('install', '--frozen-lockfile');
pnpm('exec', 'turbo', 'run', 'build', '--filter=@smarter/api...', '--output-logs=errors-only');
pnpm('--filter', '@smarter/api', 'run', 'start');
