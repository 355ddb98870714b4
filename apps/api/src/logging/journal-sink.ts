import type { JournalEvent, JournalSeverity, JournalSink } from '@smarter/security';
import type { Logger } from './logger.ts';

const LEVEL_OF: Readonly<Record<JournalSeverity, 'debug' | 'info' | 'warn' | 'error'>> = {
  debug: 'debug',
  info: 'info',
  notice: 'info',
  warning: 'warn',
  error: 'error',
  critical: 'error',
};

/**
 * A journal sink that prints events through the application logger (component `journal`), so they share its
 * format, levels and redaction.
 *
 * @example
 * const journal = createJournal({ sinks: [loggerJournalSink(logger.child('journal'))] });
 */
export function loggerJournalSink(logger: Logger): JournalSink {
  return {
    write(event: JournalEvent) {
      const { type, severity, ...rest } = event;
      logger[LEVEL_OF[severity]](type, { severity, ...rest });
    },
  };
}
