import type { AppConfig } from '../config/config.ts';
import { createLogger, type Logger, type LoggerOptions } from './logger.ts';

/**
 * The application logger as configured (`SMARTER_LOG_LEVEL`, `SMARTER_LOG_FORMAT`, `SMARTER_LOG_LEVELS`).
 *
 * @example
 * const logger = loggerFromConfig(config);
 * logger.child('http').info('listening', { port });
 */
export function loggerFromConfig(config: AppConfig, options: Pick<LoggerOptions, 'write' | 'now'> = {}): Logger {
  return createLogger({
    level: config.log.level,
    format: config.log.format,
    components: config.log.components,
    component: 'smarter',
    // Development only: the console email sender's links stay whole, so a developer can follow them.
    printDevelopmentText: config.env === 'development',
    ...options,
  });
}

/**
 * What a start prints for the operator: the mode, and on a fresh installation how to create the first admin.
 * Warnings for a development key (sessions end at restart) and for a production checklist are included.
 *
 * @example
 * for (const line of startupNotes(config, { users: await users.count() })) logger.info(line);
 */
export function startupNotes(config: AppConfig, state: { readonly users: number }): string[] {
  const notes: string[] = [];
  if (config.env !== 'production') {
    notes.push(`Running in ${config.env} mode: do not expose this instance; set SMARTER_ENV=production to deploy.`);
  }
  if (config.secretKeysGenerated) {
    notes.push('No SMARTER_SECRET_KEYS set: a random key was made for this process, so sessions end at restart.');
  }
  if (state.users === 0) {
    notes.push(
      'No users yet. Create the first admin: npm run smarter -- createsuperuser --email you@example.com (then sign in at /).',
    );
  }
  return notes;
}
