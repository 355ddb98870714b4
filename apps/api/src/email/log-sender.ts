import type { EmailSender } from '@smarter/auth';
import { SmarterConfigError } from '@smarter/security';
import type { AppConfig } from '../config/config.ts';
import type { Logger } from '../logging/logger.ts';
import { developmentText } from '../logging/redact.ts';

/**
 * The console sender of the reference server (`SMARTER_EMAIL=console`): each message becomes one `info` line of the
 * `email` component instead of being sent. The body is development text: a development logger prints it whole, so the
 * link can be followed; any other logger masks the token in it (SPEC §14: a production log never holds one). Unlike
 * `@smarter/auth`'s `consoleEmailSender` it keeps nothing in memory, so a long-running server does not grow.
 *
 * @example
 * const email = logEmailSender(logger.child('email'));
 */
export function logEmailSender(logger: Logger): EmailSender {
  return {
    async send(message) {
      // The link on its own too: in a pretty line the text is one quoted string with escaped newlines.
      const link = /https?:\/\/[^\s"]+/.exec(message.text)?.[0];
      logger.info('email printed, not sent (SMARTER_EMAIL=console)', {
        to: message.to,
        subject: message.subject,
        ...(link ? { link: developmentText(link) } : {}),
        text: developmentText(message.text),
      });
    },
  };
}

/**
 * The sender `SMARTER_EMAIL` selects when none is passed in: the log for `console`, none for `off`. `smtp` is opened by
 * `startApp` (it needs the runtime's SMTP client): built any other way, the app refuses rather than send nothing.
 */
export function emailSenderFromConfig(config: AppConfig, logger: Logger): EmailSender | undefined {
  if (config.email === 'smtp') {
    throw new SmarterConfigError(
      'SMARTER_EMAIL=smtp: start through startApp (it opens the SMTP sender) or pass { email }.',
    );
  }
  return config.email === 'console' ? logEmailSender(logger.child('email')) : undefined;
}
