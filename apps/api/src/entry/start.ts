import { type Database, sqlStore } from '@smarter/data';
import type { PeerAddress } from '@smarter/security';
import type { Hono } from 'hono';
import { createApp } from '../app.ts';
import type { AppConfig } from '../config/config.ts';
import { type SmtpSenderFactory, smtpSenderFromConfig } from '../email/smtp.ts';
import {
  journalConfigStart,
  loggerFromConfig,
  loggerJournalSink,
  startupNotes,
  storeConfigState,
} from '../logging/index.ts';
import type { Logger } from '../logging/logger.ts';
import { type AppEnv, type AppServices, buildServices, type ServiceOverrides } from '../services.ts';
import { s3Storage } from '../uploads/s3-storage.ts';
import type { UploadStorage } from '../uploads/storage.ts';
import { journalFailureLog, storeHousekeeping } from './housekeeping.ts';
import { openRedisStore } from './redis.ts';

/** What every runtime entry passes to {@link startApp}. */
export interface StartOptions extends ServiceOverrides {
  readonly config: AppConfig;
  readonly db: Database;
  readonly peerAddress?: PeerAddress;
  /** Routes serving `SMARTER_STATIC_ROOT` (Node, Bun, Deno). */
  readonly staticRoot?: Hono;
  /** Filesystem upload storage from the entry (used unless `SMARTER_UPLOAD_STORAGE=s3`). */
  readonly filesystemStorage?: () => Promise<UploadStorage>;
  /** The SMTP client of the runtime for `SMARTER_EMAIL=smtp` (Node, Bun, Deno: `smtpEmailSender`). */
  readonly smtpSender?: SmtpSenderFactory;
  /**
   * Purge the store's expired entries on a timer (long-running servers). Workers pass false: an isolate's timers
   * do not outlive its requests. @default true
   */
  readonly housekeeping?: boolean;
}

/** The started app with its services and logger. */
export interface StartedApp {
  readonly app: Hono<AppEnv>;
  readonly services: AppServices;
  readonly logger: Logger;
  /** Stops the housekeeping timer and closes the Redis connection, if any (the database is the caller's). */
  close(): Promise<void>;
}

/**
 * What each runtime entry does after opening its database: the logger, the services (journal to the log and the
 * database), the app, upload storage from config, `config.loaded`/`config.changed` in the journal and the startup
 * notes (how to create the first admin on a fresh installation).
 *
 * @example
 * const { app, logger } = await startApp({ config, db, passwordEngine: scryptEngine(), peerAddress });
 */
export async function startApp(options: StartOptions): Promise<StartedApp> {
  const { config, db } = options;
  const logger = loggerFromConfig(config);
  // First, before anything is opened: a sender passed in wins; otherwise SMARTER_EMAIL=smtp is the runtime's SMTP
  // client on SMARTER_SMTP_URL, and a runtime without one refuses here.
  const email =
    options.email ??
    (config.email === 'smtp' && config.smtp ? smtpSenderFromConfig(config.smtp, options.smtpSender) : undefined);
  const s3 = config.uploads.storage === 's3' ? config.uploads.s3 : undefined;
  const uploadStorage =
    options.uploadStorage ??
    (s3
      ? s3Storage({ ...s3, ...(options.fetch ? { fetch: options.fetch } : {}) })
      : await options.filesystemStorage?.());
  const redis =
    options.store === undefined && config.store.kind === 'redis' && config.redisUrl
      ? await openRedisStore(config.redisUrl, { logger: logger.child('store') })
      : undefined;
  const store = options.store ?? redis?.store;
  const services = buildServices({
    ...options,
    ...(store ? { store } : {}),
    ...(email ? { email } : {}),
    journalSinks: options.journalSinks ?? [loggerJournalSink(logger.child('journal'))],
    ...(uploadStorage ? { uploadStorage } : {}),
    onJournalFailure: options.onJournalFailure ?? journalFailureLog(logger.child('journal')),
    // The console email sender writes here; a failed email is a warning (the error's name and code only).
    logger,
    onBackgroundFailure:
      options.onBackgroundFailure ?? ((error, task) => logger.child(task).warn(`${task} failed`, { error })),
  });
  const housekeeping =
    options.housekeeping === false ? undefined : storeHousekeeping(services.store, logger.child('store'));
  const app = createApp({
    config,
    db,
    services,
    ...(options.peerAddress ? { peerAddress: options.peerAddress } : {}),
    ...(options.staticRoot ? { staticRoot: options.staticRoot } : {}),
  });
  // The previous start's settings live in the database, so a change between starts is seen on every runtime.
  await journalConfigStart({
    config,
    journal: services.journal,
    state: storeConfigState(sqlStore(db, { prefix: 'smarter:' })),
  });
  const users = services.journalStore
    ? (await services.journalStore.list({ type: 'user.created', limit: 1 })).length
    : 1;
  for (const line of startupNotes(config, { users })) logger.info(line);
  return {
    app,
    services,
    logger,
    async close() {
      housekeeping?.stop();
      await redis?.close();
    },
  };
}
