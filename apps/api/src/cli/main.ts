#!/usr/bin/env node
// The `smarter` CLI on Node: wires the process (argv, stdio, env, files) and the services that exist in this build.
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { migrate, schemaVersion } from '@smarter/data';
import { openBetterSqlite } from '@smarter/data/better-sqlite3';
import { openPostgres } from '@smarter/data/postgres';
import { type AppConfig, isPostgresUrl, loadConfig, sqlitePath } from '../config/config.ts';
import { runCli } from './commands.ts';
import type { CliIo, CliServices } from './io.ts';

function prompt(question: string, hidden: boolean): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    if (hidden) {
      // Echo nothing while the password is typed.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.includes(question)) process.stderr.write(question);
      };
    }
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) process.stderr.write('\n');
      resolve(answer);
    });
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const io: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin,
  ...(process.stdin.isTTY ? { prompt } : {}),
  readFile: (path) => readFile(path, 'utf8'),
  env: process.env,
};

let config: AppConfig | undefined;
const services: CliServices = {
  config: () => {
    config ??= loadConfig(process.env);
    return config;
  },
  async migrate() {
    const { databaseUrl } = services.config();
    const db = isPostgresUrl(databaseUrl)
      ? openPostgres(databaseUrl)
      : (() => {
          const path = sqlitePath(databaseUrl);
          if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
          return openBetterSqlite(path);
        })();
    try {
      await migrate(db);
      return { driver: db.driver, schema: (await schemaVersion(db)) ?? null };
    } finally {
      await db.close();
    }
  },
};

process.exitCode = await runCli(process.argv.slice(2), io, services);
