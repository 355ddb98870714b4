import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApp, startApp } from './runtimes.ts';
import { CONFORMANCE_BOOTSTRAP_TOKEN } from './suites/platform.ts';

// SMARTER_SMTP_URL on every runtime whose entry has sockets: the app's SMTP client really connects, from Bun and Deno
// as from Node, and refuses to send over a connection that TLS would not protect.

/** A mail server on 127.0.0.1 that greets, answers EHLO without offering STARTTLS, and records every line. */
class PlainMailServer {
  readonly lines: string[] = [];
  readonly #server: Server = createServer((socket) => {
    socket.setEncoding('utf8');
    socket.write('220 conformance ESMTP\r\n');
    let buffer = '';
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        this.lines.push(line);
        socket.write(/^EHLO /i.test(line) ? '250-conformance\r\n250 SIZE 1000000\r\n' : '502 not here\r\n');
      }
    });
    socket.on('error', () => {});
  });

  async listen(): Promise<number> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    return (this.#server.address() as { port: number }).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

async function post(app: StartedApp, path: string, authorization: string, body: unknown): Promise<Response> {
  return fetch(`${app.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify(body),
  });
}

const mail = new PlainMailServer();
let port = 0;
beforeAll(async () => {
  port = await mail.listen();
});
afterAll(() => mail.close());

describe.each(['node', 'bun', 'deno'] as const)('SMARTER_SMTP_URL on %s', (runtime) => {
  it("connects with the runtime's SMTP client, refuses a server without STARTTLS, and says so", async () => {
    const app = await startApp(runtime, {
      SMARTER_BOOTSTRAP_TOKEN: CONFORMANCE_BOOTSTRAP_TOKEN,
      SMARTER_SMTP_URL: `smtp://mailer:s%40cret-9@127.0.0.1:${port}`,
      SMARTER_EMAIL_FROM: 'Smarter <no-reply@example.test>',
    });
    try {
      const before = mail.lines.length;
      const boot = await post(app, '/api/v1/bootstrap', `Bootstrap ${CONFORMANCE_BOOTSTRAP_TOKEN}`, {
        email: `admin-${runtime}@example.test`,
        password: 'a long and unusual passphrase 42',
      });
      expect(boot.status).toBe(201);
      const { key } = (await boot.json()) as { key: string };
      const invited = await post(app, '/api/v1/users', `Token ${key}`, { email: `new-${runtime}@example.test` });
      expect(invited.status).toBe(201);
      // The user exists; the email did not go: the server offered no STARTTLS, so nothing was sent in the clear.
      expect(await invited.json()).toMatchObject({ invitation: 'failed' });
      const seen = mail.lines.slice(before);
      expect(seen[0]).toMatch(/^EHLO /);
      expect(seen.some((line) => /^(AUTH|MAIL|RCPT|DATA)/i.test(line))).toBe(false);
      expect(app.output()).not.toMatch(/s%40cret|s@cret/);
    } finally {
      await app.stop();
    }
  });
});
