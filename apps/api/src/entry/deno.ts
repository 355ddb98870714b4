import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import process from 'node:process';
import { DatabaseSync } from 'node:sqlite';
import { scryptEngine } from '@smarter/auth/password-node';
import { smtpEmailSender } from '@smarter/auth/smtp-node';
import { migrate } from '@smarter/data';
import { fromNodeSqlite } from '@smarter/data/node-sqlite';
import { openPostgres } from '@smarter/data/postgres';
import { isPostgresUrl, loadConfig, sqlitePath } from '../app.ts';
import { withDevSecretKey } from '../node/dev-secret.ts';
import { fsStorage } from '../node/fs-storage.ts';
import { staticRootRoutes } from '../node/static-root.ts';
import { startApp } from './start.ts';

interface DenoServeInfo {
  readonly remoteAddr: { readonly hostname: string };
}

declare const Deno: {
  serve(
    options: { hostname: string; port: number; onListen(addr: { hostname: string; port: number }): void },
    handler: (request: Request, info: DenoServeInfo) => Response | Promise<Response>,
  ): unknown;
};

const config = withDevSecretKey(loadConfig(process.env));
const db = isPostgresUrl(config.databaseUrl)
  ? openPostgres(config.databaseUrl)
  : (() => {
      const path = sqlitePath(config.databaseUrl);
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      return fromNodeSqlite(new DatabaseSync(path));
    })();
await migrate(db);

// Deno passes the connection info as the app's env: `remoteAddr` is the TCP peer.
const { app } = await startApp({
  config,
  db,
  passwordEngine: scryptEngine(),
  // The TCP peer comes from the connection info Deno.serve hands the app (clientIdentity's default).
  filesystemStorage: () => fsStorage(config.mediaRoot),
  smtpSender: smtpEmailSender,
  ...(config.staticRoot ? { staticRoot: staticRootRoutes(config.staticRoot, config.staticUrl) } : {}),
});
Deno.serve(
  {
    hostname: process.env['HOST'] ?? '127.0.0.1',
    port: Number(process.env['PORT'] ?? 8787),
    onListen: ({ hostname, port }) =>
      console.log(`Smarter listening on http://${hostname}:${port} (deno, ${db.driver}, ${config.env})`),
  },
  app.fetch,
);
