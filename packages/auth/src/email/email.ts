/** An email to send. */
export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

/** The email port: console in development, SMTP (`@smarter/auth/smtp-node`) in production, or any provider's API. */
export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}

/** Options of {@link consoleEmailSender}. */
export interface ConsoleEmailSenderOptions {
  /** Where the message goes. @default console.log */
  readonly write?: (text: string) => void;
}

/**
 * Development sender: prints the whole message (links included) instead of sending it. Never use in production.
 *
 * @example
 * const email = consoleEmailSender();
 */
export function consoleEmailSender(
  options: ConsoleEmailSenderOptions = {},
): EmailSender & { readonly sent: EmailMessage[] } {
  const write = options.write ?? ((text: string) => console.log(text));
  const sent: EmailMessage[] = [];
  return {
    sent,
    async send(message) {
      sent.push(message);
      write(`--- email to ${message.to} ---\nSubject: ${message.subject}\n\n${message.text}\n--- end ---`);
    },
  };
}
