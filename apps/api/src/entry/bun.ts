import { Database as BunDatabase } from 'bun:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { scryptEngine } from '@smarter/auth/password-node';
import { smtpEmailSender } from '@smarter/auth/smtp-node';
import { migrate } from '@smarter/data';
import { fromBunSqlite } from '@smarter/data/bun-sqlite';
import { openPostgres } from '@smarter/data/postgres';
import { isPostgresUrl, loadConfig, sqlitePath } from '../app.ts';
import { withDevSecretKey } from '../node/dev-secret.ts';
import { fsStorage } from '../node/fs-storage.ts';
import { staticRootRoutes } from '../node/static-root.ts';
import { startApp } from './start.ts';

interface BunServer {
  requestIP(request: Request): { address: string } | null;
}

declare const Bun: {
  serve(options: {
    hostname: string;
    port: number;
    fetch: (request: Request, server: BunServer) => Response | Promise<Response>;
  }): {
    hostname: string;
    port: number;
  };
};

const config = withDevSecretKey(loadConfig(process.env));
const db = isPostgresUrl(config.databaseUrl)
  ? openPostgres(config.databaseUrl)
  : (() => {
      const path = sqlitePath(config.databaseUrl);
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      return fromBunSqlite(new BunDatabase(path, { create: true }));
    })();
await migrate(db);

// Bun passes its server as the app's env: `server.requestIP` is the TCP peer.
const { app } = await startApp({
  config,
  db,
  passwordEngine: scryptEngine(),
  // The TCP peer comes from Bun's server, which Bun.serve hands the app (clientIdentity's default).
  filesystemStorage: () => fsStorage(config.mediaRoot),
  smtpSender: smtpEmailSender,
  ...(config.staticRoot ? { staticRoot: staticRootRoutes(config.staticRoot, config.staticUrl) } : {}),
});
const server = Bun.serve({
  hostname: process.env['HOST'] ?? '127.0.0.1',
  port: Number(process.env['PORT'] ?? 8787),
  fetch: app.fetch,
});
console.log(`Smarter listening on http://${server.hostname}:${server.port} (bun, ${db.driver}, ${config.env})`);
