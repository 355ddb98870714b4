import { randomUUID } from 'node:crypto';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { SmarterConfigError, SmarterError } from '@smarter/security';
import type { EmailMessage, EmailSender } from '../email/email.ts';

/** Options of {@link smtpEmailSender}. */
export interface SmtpEmailSenderOptions {
  readonly host: string;
  /** @default 587 for 'starttls', 465 for 'tls' */
  readonly port?: number;
  /** 'starttls' upgrades a plain connection (refusing servers that do not offer it); 'tls' is implicit TLS. @default 'starttls' */
  readonly security?: 'starttls' | 'tls';
  /** Envelope and header sender. */
  readonly from: string;
  readonly username?: string;
  readonly password?: string;
  /** Extra trusted CA certificates (PEM); the certificate is always verified. @default the system store */
  readonly ca?: string | readonly string[];
  /** TLS server name (SNI) and the name the certificate is checked against. @default host, unless it is an IP address */
  readonly servername?: string;
  /** EHLO name. @default 'localhost' */
  readonly clientName?: string;
  /** @default 10000 */
  readonly timeoutMs?: number;
}

const NO_CRLF = /^[^\r\n]*$/;

/** Resolved SMTP options. */
export interface ResolvedSmtpOptions {
  readonly host: string;
  readonly port: number;
  readonly security: 'starttls' | 'tls';
  readonly from: string;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly ca: string | readonly string[] | undefined;
  /** Undefined for an IP host: SNI carries no addresses (the certificate is then checked against the IP). */
  readonly servername: string | undefined;
  readonly clientName: string;
  readonly timeoutMs: number;
}

/** Validates SMTP options; throws a {@link SmarterConfigError} saying what to write instead. */
export function resolveSmtpOptions(options: SmtpEmailSenderOptions): ResolvedSmtpOptions {
  const security = options.security ?? 'starttls';
  if (security !== 'starttls' && security !== 'tls') {
    throw new SmarterConfigError('security must be "starttls" or "tls": SMTP without TLS is not supported.');
  }
  if (!options.host || !options.from || !NO_CRLF.test(options.from))
    throw new SmarterConfigError('smtpEmailSender needs { host, from }.');
  if ((options.username === undefined) !== (options.password === undefined)) {
    throw new SmarterConfigError('Give both username and password, or neither.');
  }
  return {
    host: options.host,
    port: options.port ?? (security === 'tls' ? 465 : 587),
    security,
    from: options.from,
    username: options.username,
    password: options.password,
    ca: options.ca,
    servername: options.servername ?? (isIP(options.host) ? undefined : options.host),
    clientName: options.clientName ?? 'localhost',
    timeoutMs: options.timeoutMs ?? 10_000,
  };
}

interface Reply {
  readonly code: number;
  readonly lines: readonly string[];
}

class SmtpConnection {
  #socket: Socket | TLSSocket;
  #buffer = '';
  #pending: Reply[] = [];
  #waiter: ((reply: Reply) => void) | undefined;
  #lines: string[] = [];
  #failure: Error | undefined;
  #onFailure: ((error: Error) => void) | undefined;

  constructor(socket: Socket | TLSSocket) {
    this.#socket = socket;
    this.#attach(socket);
  }

  #attach(socket: Socket | TLSSocket): void {
    socket.setEncoding('utf8');
    socket.on('data', this.#onData);
    socket.on('error', this.#onError);
    socket.on('close', this.#onClose);
  }

  #detach(): void {
    this.#socket.off('data', this.#onData);
    this.#socket.off('error', this.#onError);
    this.#socket.off('close', this.#onClose);
  }

  #onData = (chunk: string): void => {
    this.#buffer += chunk;
    let index = this.#buffer.indexOf('\r\n');
    while (index >= 0) {
      const line = this.#buffer.slice(0, index);
      this.#buffer = this.#buffer.slice(index + 2);
      this.#lines.push(line.slice(4));
      if (line[3] !== '-') {
        const reply = { code: Number(line.slice(0, 3)), lines: this.#lines };
        this.#lines = [];
        if (this.#waiter) {
          const w = this.#waiter;
          this.#waiter = undefined;
          w(reply);
        } else this.#pending.push(reply);
      }
      index = this.#buffer.indexOf('\r\n');
    }
  };

  #onError = (error: Error): void => {
    this.#failure = error;
    this.#onFailure?.(error);
  };

  #onClose = (): void => this.#onError(new Error('connection closed'));

  read(): Promise<Reply> {
    const ready = this.#pending.shift();
    if (ready) return Promise.resolve(ready);
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#waiter = resolve;
      this.#onFailure = reject;
    });
  }

  async command(line: string, expect: number): Promise<Reply> {
    this.#socket.write(`${line}\r\n`);
    const reply = await this.read();
    if (reply.code !== expect) throw new Error(`SMTP ${line.split(' ')[0]} answered ${reply.code}`);
    return reply;
  }

  write(data: string): void {
    this.#socket.write(data);
  }

  /** Swaps the plain socket for a verified TLS one (STARTTLS). */
  async upgrade(options: {
    host: string;
    servername: string | undefined;
    ca?: string | readonly string[] | undefined;
  }): Promise<void> {
    this.#detach();
    const plain = this.#socket;
    const secure = await new Promise<TLSSocket>((resolve, reject) => {
      const s = tlsConnect({
        socket: plain,
        // Over an existing socket the certificate is checked against servername, else host.
        host: options.host,
        ...(options.servername ? { servername: options.servername } : {}),
        rejectUnauthorized: true,
        ...(options.ca ? { ca: options.ca as string[] } : {}),
      });
      s.once('secureConnect', () => resolve(s));
      s.once('error', reject);
    });
    this.#socket = secure;
    this.#attach(secure);
  }

  close(): void {
    this.#detach();
    this.#socket.destroy();
  }
}

function header(value: string): string {
  if (!NO_CRLF.test(value))
    throw new SmarterError('EMAIL_INVALID', 'Email header contains a line break', { status: 400 });
  // RFC 2047 encoded word for anything outside printable ASCII.
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

function base64Lines(text: string): string {
  return (
    Buffer.from(text, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n');
}

/** Renders the message as RFC 5322 with base64 bodies (so no line can start with a dot). */
export function renderMessage(from: string, message: EmailMessage, domain: string): string {
  const lines = [
    `From: ${header(from)}`,
    `To: ${header(message.to)}`,
    `Subject: ${header(message.subject)}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${randomUUID()}@${domain}>`,
    'MIME-Version: 1.0',
  ];
  if (message.html === undefined) {
    lines.push(
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(message.text),
    );
  } else {
    const boundary = `smarter-${randomUUID()}`;
    lines.push(
      `Content-Type: multipart/alternative; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(message.text),
      `--${boundary}`,
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(message.html),
      `--${boundary}--`,
    );
  }
  return lines.join('\r\n');
}

function address(value: string): string {
  const match = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(value) ?? /^\s*([^<>\s]+@[^<>\s]+)\s*$/.exec(value);
  if (!match?.[1]) throw new SmarterError('EMAIL_INVALID', 'Email address is not valid', { status: 400 });
  return match[1];
}

/**
 * Sends email over SMTP with verified TLS only (implicit TLS or mandatory STARTTLS; never a plain fallback), one
 * connection per message. Node-only (sockets): import from `@smarter/auth/smtp-node`.
 *
 * @example
 * const email = smtpEmailSender({ host: 'smtp.example.com', from: 'Smarter <no-reply@example.com>', username, password });
 */
export function smtpEmailSender(options: SmtpEmailSenderOptions): EmailSender {
  const o = resolveSmtpOptions(options);
  const fromAddress = address(o.from);
  const domain = fromAddress.split('@')[1] ?? 'localhost';
  return {
    async send(message) {
      const to = address(message.to);
      const data = renderMessage(o.from, message, domain);
      const socket = await new Promise<Socket | TLSSocket>((resolve, reject) => {
        const s =
          o.security === 'tls'
            ? tlsConnect({
                host: o.host,
                port: o.port,
                ...(o.servername ? { servername: o.servername } : {}),
                rejectUnauthorized: true,
                ...(o.ca ? { ca: o.ca as string[] } : {}),
              })
            : netConnect({ host: o.host, port: o.port });
        s.setTimeout(o.timeoutMs, () => s.destroy(new Error('SMTP timeout')));
        s.once(o.security === 'tls' ? 'secureConnect' : 'connect', () => resolve(s));
        s.once('error', reject);
      });
      const conn = new SmtpConnection(socket);
      try {
        const greeting = await conn.read();
        if (greeting.code !== 220) throw new Error(`SMTP greeting ${greeting.code}`);
        let ehlo = await conn.command(`EHLO ${o.clientName}`, 250);
        if (o.security === 'starttls') {
          if (!ehlo.lines.some((l) => /^STARTTLS\b/i.test(l))) throw new Error('SMTP server does not offer STARTTLS');
          await conn.command('STARTTLS', 220);
          await conn.upgrade({ host: o.host, servername: o.servername, ca: o.ca });
          ehlo = await conn.command(`EHLO ${o.clientName}`, 250);
        }
        if (o.username !== undefined && o.password !== undefined) {
          const plain = Buffer.from(`\0${o.username}\0${o.password}`, 'utf8').toString('base64');
          await conn.command(`AUTH PLAIN ${plain}`, 235);
        }
        await conn.command(`MAIL FROM:<${fromAddress}>`, 250);
        await conn.command(`RCPT TO:<${to}>`, 250);
        await conn.command('DATA', 354);
        conn.write(`${data}\r\n.\r\n`);
        const accepted = await conn.read();
        if (accepted.code !== 250) throw new Error(`SMTP DATA answered ${accepted.code}`);
        await conn.command('QUIT', 221).catch(() => undefined);
      } catch (error) {
        throw new SmarterError('EMAIL_FAILED', 'Email could not be sent', { status: 502, cause: error });
      } finally {
        conn.close();
      }
    },
  };
}
