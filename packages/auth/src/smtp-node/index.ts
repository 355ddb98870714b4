/** SMTP email with verified TLS, for Node, Bun and Deno (needs sockets). Workers use an HTTP email API instead. */
export {
  type ResolvedSmtpOptions,
  renderMessage,
  resolveSmtpOptions,
  type SmtpEmailSenderOptions,
  smtpEmailSender,
} from './smtp-sender.ts';
