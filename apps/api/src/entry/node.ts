import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { scryptEngine } from '@smarter/auth/password-node';
import { migrate } from '@smarter/data';
import { openBetterSqlite } from '@smarter/data/better-sqlite3';
import { openPostgres } from '@smarter/data/postgres';
import { createApp, isPostgresUrl, loadConfig, sqlitePath } from '../app.ts';

const config = loadConfig(process.env);
const db = isPostgresUrl(config.databaseUrl)
  ? openPostgres(config.databaseUrl)
  : (() => {
      const path = sqlitePath(config.databaseUrl);
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      return openBetterSqlite(path);
    })();
await migrate(db);

// The TCP peer as Node saw it; trusted-proxy headers are applied on top by the app.
// scrypt, like the CLI that creates the first admin: the hashes it writes verify here.
const app = createApp({
  config,
  db,
  passwordEngine: scryptEngine(),
  peerAddress: (c) => getConnInfo(c).remote.address,
});
const hostname = process.env['HOST'] ?? '127.0.0.1';
const port = Number(process.env['PORT'] ?? 8787);
const server = serve({ fetch: app.fetch, hostname, port }, (info) => {
  const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
  console.log(`Smarter listening on http://${host}:${info.port} (node, ${db.driver}, ${config.env})`);
});

function shutdown() {
  server.close(() => void db.close().finally(() => process.exit(0)));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
