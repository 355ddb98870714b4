import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSmtpOptions, smtpEmailSender } from './smtp-sender.ts';

interface Received {
  auth: string[];
  from: string[];
  to: string[];
  data: string[];
  tlsBeforeAuth: boolean[];
}

/** A tiny SMTP server on 127.0.0.1 for this test: EHLO, STARTTLS (self-signed cert), AUTH PLAIN, MAIL, RCPT, DATA. */
function smtpServer(key: string, cert: string, offerStartTls = true) {
  const received: Received = { auth: [], from: [], to: [], data: [], tlsBeforeAuth: [] };
  const server: Server = createServer((raw) => {
    let socket: Socket | TLSSocket = raw;
    let buffer = '';
    let inData = false;
    let secure = false;
    const send = (line: string) => socket.write(`${line}\r\n`);
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          received.data.push(buffer.slice(0, end));
          buffer = buffer.slice(end + 5);
          inData = false;
          send('250 queued');
          continue;
        }
        const index = buffer.indexOf('\r\n');
        if (index < 0) return;
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 2);
        const verb = line.split(' ')[0]?.toUpperCase();
        if (verb === 'EHLO') {
          if (offerStartTls && !secure) socket.write('250-localhost\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n');
          else socket.write('250-localhost\r\n250 AUTH PLAIN\r\n');
        } else if (verb === 'STARTTLS') {
          send('220 ready');
          socket.off('data', onData);
          const tls = new TLSSocket(socket, { isServer: true, key, cert });
          secure = true;
          socket = tls;
          tls.on('data', onData);
          tls.on('error', () => {});
        } else if (verb === 'AUTH') {
          received.auth.push(Buffer.from(line.split(' ')[2] ?? '', 'base64').toString('utf8'));
          received.tlsBeforeAuth.push(secure);
          send('235 ok');
        } else if (verb === 'MAIL') {
          received.from.push(line);
          send('250 ok');
        } else if (verb === 'RCPT') {
          received.to.push(line);
          send('250 ok');
        } else if (verb === 'DATA') {
          inData = true;
          send('354 go');
        } else if (verb === 'QUIT') {
          send('221 bye');
          socket.end();
        } else send('500 what');
      }
    };
    raw.on('data', onData);
    raw.on('error', () => {});
    send('220 localhost test SMTP');
  });
  return { server, received };
}

let dir = '';
let key = '';
let cert = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'smarter-smtp-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  key = readFileSync(join(dir, 'key.pem'), 'utf8');
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function listen(offerStartTls = true) {
  const s = smtpServer(key, cert, offerStartTls);
  await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
  const port = (s.server.address() as { port: number }).port;
  return { ...s, port, close: () => new Promise((resolve) => s.server.close(resolve)) };
}

describe('resolveSmtpOptions', () => {
  it('has no plaintext mode and wants both credentials or neither', () => {
    expect(() => resolveSmtpOptions({ host: 'h', from: 'a@b.c', security: 'none' as never })).toThrow(/not supported/);
    expect(() => resolveSmtpOptions({ host: 'h', from: 'a@b.c', username: 'u' })).toThrow(/both/);
    expect(resolveSmtpOptions({ host: 'h', from: 'a@b.c' })).toMatchObject({
      port: 587,
      security: 'starttls',
      servername: 'h',
    });
    // No SNI for an address (Node deprecates it): the certificate is checked against the IP itself.
    expect(resolveSmtpOptions({ host: '127.0.0.1', from: 'a@b.c' }).servername).toBeUndefined();
    expect(resolveSmtpOptions({ host: '::1', from: 'a@b.c', servername: 'mail.test' }).servername).toBe('mail.test');
  });
});

describe('smtpEmailSender against a local SMTP server', () => {
  it('sends over verified STARTTLS, authenticating only after TLS', async () => {
    const s = await listen();
    try {
      const sender = smtpEmailSender({
        host: '127.0.0.1',
        servername: 'localhost',
        port: s.port,
        from: 'Smarter <no-reply@smarter.test>',
        username: 'u',
        password: 'p',
        ca: cert,
      });
      await sender.send({
        to: 'alice@example.com',
        subject: 'Réinitialiser',
        text: 'Reset: https://app.test/reset?token=abc\n.\nend',
      });
      expect(s.received.tlsBeforeAuth).toEqual([true]);
      expect(s.received.auth).toEqual(['\0u\0p']);
      expect(s.received.from).toEqual(['MAIL FROM:<no-reply@smarter.test>']);
      expect(s.received.to).toEqual(['RCPT TO:<alice@example.com>']);
      const data = s.received.data[0] ?? '';
      expect(data).toContain('Subject: =?UTF-8?B?');
      const body = data.split('\r\n\r\n')[1] ?? '';
      expect(Buffer.from(body.replaceAll('\r\n', ''), 'base64').toString('utf8')).toBe(
        'Reset: https://app.test/reset?token=abc\n.\nend',
      );
    } finally {
      await s.close();
    }
  });

  it('refuses a certificate it cannot verify (no CA given) and never sends credentials', async () => {
    const s = await listen();
    try {
      const sender = smtpEmailSender({
        host: '127.0.0.1',
        servername: 'localhost',
        port: s.port,
        from: 'no-reply@smarter.test',
        username: 'u',
        password: 'p',
      });
      await expect(sender.send({ to: 'alice@example.com', subject: 's', text: 't' })).rejects.toMatchObject({
        code: 'EMAIL_FAILED',
      });
      expect(s.received.auth).toEqual([]);
      expect(s.received.data).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('refuses a certificate for another name', async () => {
    const s = await listen();
    try {
      const sender = smtpEmailSender({
        host: '127.0.0.1',
        servername: 'mail.other.test',
        port: s.port,
        from: 'no-reply@smarter.test',
        ca: cert,
      });
      await expect(sender.send({ to: 'alice@example.com', subject: 's', text: 't' })).rejects.toMatchObject({
        code: 'EMAIL_FAILED',
      });
      expect(s.received.data).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('refuses servers that do not offer STARTTLS instead of falling back to plaintext', async () => {
    const s = await listen(false);
    try {
      const sender = smtpEmailSender({
        host: '127.0.0.1',
        servername: 'localhost',
        port: s.port,
        from: 'no-reply@smarter.test',
        username: 'u',
        password: 'p',
        ca: cert,
      });
      await expect(sender.send({ to: 'alice@example.com', subject: 's', text: 't' })).rejects.toMatchObject({
        code: 'EMAIL_FAILED',
      });
      expect(s.received.auth).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('refuses header injection', async () => {
    const sender = smtpEmailSender({ host: '127.0.0.1', port: 1, from: 'no-reply@smarter.test' });
    await expect(
      sender.send({ to: 'alice@example.com', subject: 'hi\r\nBcc: evil@x.test', text: 't' }),
    ).rejects.toMatchObject({ code: 'EMAIL_INVALID' });
    await expect(
      sender.send({ to: 'alice@example.com>\r\nRCPT TO:<evil@x.test', subject: 's', text: 't' }),
    ).rejects.toMatchObject({ code: 'EMAIL_INVALID' });
  });
});
