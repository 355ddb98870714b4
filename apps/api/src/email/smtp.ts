import type { EmailSender } from '@smarter/auth';
import type { SmtpEmailSenderOptions } from '@smarter/auth/smtp-node';
import { SmarterConfigError } from '@smarter/security';
import type { SmtpConfig } from '../config/config.ts';

/**
 * Makes an SMTP sender: `smtpEmailSender` of `@smarter/auth/smtp-node`, which the Node, Bun and Deno entries pass to
 * `startApp` (it needs sockets; Workers have none, and their entry passes nothing).
 */
export type SmtpSenderFactory = (options: SmtpEmailSenderOptions) => EmailSender;

/**
 * The sender options of `SMARTER_SMTP_URL` and `SMARTER_EMAIL_FROM`: `smtps://` is implicit TLS (port 465 by default),
 * `smtp://` mandatory STARTTLS (587); the user and password are percent-decoded. The certificate is always verified
 * against the system's trust store.
 *
 * @example
 * smtpSenderOptions({ url: new Secret('smtps://mailer:pw@mail.example.com'), from: 'no-reply@example.com' });
 * // { host: 'mail.example.com', security: 'tls', from: 'no-reply@example.com', username: 'mailer', password: 'pw' }
 */
export function smtpSenderOptions(smtp: SmtpConfig): SmtpEmailSenderOptions {
  const url = new URL(smtp.url.reveal());
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    ...(url.port ? { port: Number(url.port) } : {}),
    security: url.protocol === 'smtps:' ? 'tls' : 'starttls',
    from: smtp.from,
    ...(url.username ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) } : {}),
  };
}

/** Why `SMARTER_EMAIL=smtp` cannot work on a runtime without an SMTP client (Workers), and what to do instead. */
export function noSmtpClient(): SmarterConfigError {
  return new SmarterConfigError(
    'SMARTER_EMAIL=smtp needs sockets (Node, Bun or Deno): on Workers, pass an HTTP email API sender as { email }.',
  );
}

/** The sender of `SMARTER_EMAIL=smtp`, or a clear refusal where the runtime has no SMTP client. */
export function smtpSenderFromConfig(smtp: SmtpConfig, factory: SmtpSenderFactory | undefined): EmailSender {
  if (!factory) throw noSmtpClient();
  return factory(smtpSenderOptions(smtp));
}
