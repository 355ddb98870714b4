#!/usr/bin/env node
// Runs the pinned pnpm without assuming a global install (corepack's signature check fails on some machines).
import { pnpm } from './run.mjs';

pnpm(...process.argv.slice(2));
