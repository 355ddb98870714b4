#!/usr/bin/env node
// The `smarter` CLI on Node: wires the process (argv, stdio, env, files) and the services that exist in this build.
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { migrate, schemaVersion } from '@smarter/data';
import { openBetterSqlite } from '@smarter/data/better-sqlite3';
import { openPostgres } from '@smarter/data/postgres';
import { isSmarterError } from '@smarter/security';
import { type AppConfig, isPostgresUrl, loadConfig, sqlitePath } from '../config/config.ts';
import { withDevSecretKey } from '../node/dev-secret.ts';
import { runCli } from './commands.ts';
import { dataServices } from './data-services.ts';
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
    config ??= withDevSecretKey(loadConfig(process.env));
    return config;
  },
  async migrate() {
    const db = openDatabase(services.config().databaseUrl);
    try {
      await migrate(db);
      return { driver: db.driver, schema: (await schemaVersion(db)) ?? null };
    } finally {
      await db.close();
    }
  },
};

function openDatabase(databaseUrl: string) {
  if (isPostgresUrl(databaseUrl)) return openPostgres(databaseUrl);
  const path = sqlitePath(databaseUrl);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  return openBetterSqlite(path);
}

// Commands over the data and auth packages open the database (migrated) once, and close it at the end.
const argv = process.argv.slice(2);
const needsData = ['createsuperuser', 'keys', 'agents', 'journal', 'apply'].includes(argv[0] ?? '');
let exitCode = 2;
if (needsData) {
  let db: ReturnType<typeof openDatabase> | undefined;
  try {
    const appConfig = services.config();
    db = openDatabase(appConfig.databaseUrl);
    await migrate(db);
    // `apply --user E`: the admin whose account the manifests apply to (read here; the command validates it too).
    const userAt = argv.findIndex((a) => a === '--user' || a.startsWith('--user='));
    const owner = userAt < 0 ? undefined : (argv[userAt]?.split('=')[1] ?? argv[userAt + 1]);
    const data = dataServices(appConfig, db, { owner });
    exitCode = await runCli(argv, io, { ...services, ...data });
    await data.flush();
  } catch (error) {
    // Configuration and database errors: their own safe message and stable code; anything else (a driver's own
    // error names hosts, users and files) only by its name. Never a stack or a path.
    const text = isSmarterError(error)
      ? `${error.message} (${error.code})`
      : `failed (${(error as Error)?.name ?? 'Error'}); check the configuration and that the database is reachable`;
    io.stderr(`smarter ${argv[0]}: ${text}\n`);
    exitCode = 1;
  } finally {
    await db?.close();
  }
} else {
  exitCode = await runCli(argv, io, services);
}
process.exitCode = exitCode;
