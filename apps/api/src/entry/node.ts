import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { serve } from '@hono/node-server';
import { scryptEngine } from '@smarter/auth/password-node';
import { smtpEmailSender } from '@smarter/auth/smtp-node';
import { migrate } from '@smarter/data';
import { openBetterSqlite } from '@smarter/data/better-sqlite3';
import { openPostgres } from '@smarter/data/postgres';
import { isPostgresUrl, loadConfig, sqlitePath } from '../app.ts';
import { withDevSecretKey } from '../node/dev-secret.ts';
import { fsStorage } from '../node/fs-storage.ts';
import { staticRootRoutes } from '../node/static-root.ts';
import { startApp } from './start.ts';

const config = withDevSecretKey(loadConfig(process.env));
const db = isPostgresUrl(config.databaseUrl)
  ? openPostgres(config.databaseUrl)
  : (() => {
      const path = sqlitePath(config.databaseUrl);
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      return openBetterSqlite(path);
    })();
await migrate(db);

const { app, logger, services, close } = await startApp({
  config,
  db,
  passwordEngine: scryptEngine(),
  // The TCP peer comes from what @hono/node-server hands the app (clientIdentity's default, runtimePeerAddress).
  filesystemStorage: () => fsStorage(config.mediaRoot),
  smtpSender: smtpEmailSender,
  ...(config.staticRoot ? { staticRoot: staticRootRoutes(config.staticRoot, config.staticUrl) } : {}),
});
const hostname = process.env['HOST'] ?? '127.0.0.1';
const port = Number(process.env['PORT'] ?? 8787);
const server = serve({ fetch: app.fetch, hostname, port }, (info) => {
  const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
  // Conformance runners and operators read this line: keep its shape.
  console.log(`Smarter listening on http://${host}:${info.port} (node, ${db.driver}, ${config.env})`);
  logger.info('listening', { host, port: info.port, driver: db.driver, env: config.env });
});

function shutdown() {
  server.close(
    () =>
      void services.flush().finally(() => void close().finally(() => void db.close().finally(() => process.exit(0)))),
  );
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
