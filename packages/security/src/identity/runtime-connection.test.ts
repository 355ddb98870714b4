import { type AddressInfo, connect } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientIdentity } from './client-identity.ts';
import type { IdentityVariables } from './types.ts';

/** An app with `clientIdentity()` left at its defaults that answers with the client it resolved. */
function whoAmI(): Hono<{ Variables: IdentityVariables }> {
  const app = new Hono<{ Variables: IdentityVariables }>();
  app.use(clientIdentity());
  app.get('/', (c) => c.json({ ip: c.get('clientIp'), key: c.get('clientKey') }));
  app.get('/scheme', (c) => c.text(c.get('clientScheme')));
  return app;
}

/** Serves `app` on a loopback port for the duration of `use`. */
async function served(
  app: Hono<{ Variables: IdentityVariables }>,
  use: (port: number) => Promise<void>,
): Promise<void> {
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  try {
    await use((server.address() as AddressInfo).port);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Sends raw request bytes and returns the whole answer (the request asks the server to close). */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('clientIdentity without peerAddress', () => {
  it('finds the peer @hono/node-server hands over, through a real socket', async () => {
    await served(whoAmI(), async (port) => {
      const res = await fetch(`http://127.0.0.1:${port}/`);
      expect(await res.json()).toEqual({ ip: '127.0.0.1', key: '127.0.0.1' });
    });
  });

  it('takes the scheme from the connection on Node, not from an absolute-form request line', async () => {
    await served(whoAmI(), async (port) => {
      const head = (target: string) => `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`;
      const absolute = await rawRequest(port, head(`https://127.0.0.1:${port}/scheme`));
      expect(absolute).toMatch(/^HTTP\/1\.1 200 /);
      expect(absolute.endsWith('\r\n\r\nhttp')).toBe(true);
      const origin = await rawRequest(port, head('/scheme'));
      expect(origin.endsWith('\r\n\r\nhttp')).toBe(true);
    });
    // A TLS socket (as node:https and http2 servers hand over) makes it https whatever the URL says.
    const tls = { incoming: { socket: { encrypted: true, remoteAddress: '127.0.0.1' } } };
    expect(await (await whoAmI().request('http://api.example/scheme', {}, tls)).text()).toBe('https');
    const plain = { incoming: { socket: { remoteAddress: '127.0.0.1' } } };
    expect(await (await whoAmI().request('https://api.example/scheme', {}, plain)).text()).toBe('http');
  });

  it("reads Bun.serve's server and Deno.serve's connection info as those runtimes pass them to app.fetch", async () => {
    const app = whoAmI();
    const seen: Request[] = [];
    // Bun passes its server as the second argument of fetch; requestIP answers for a request.
    const bunServer = {
      requestIP(this: unknown, req: Request) {
        expect(this).toBe(bunServer);
        seen.push(req);
        return { address: '2001:db8:1:2::7', family: 'IPv6', port: 40_000 };
      },
    };
    const bun = await app.request('/', {}, bunServer);
    expect(await bun.json()).toEqual({ ip: '2001:db8:1:2::7', key: '2001:db8:1:2::/64' });
    expect(seen).toHaveLength(1);
    // Deno passes the connection info of the request.
    const denoInfo = {
      remoteAddr: { transport: 'tcp', hostname: '203.0.113.9', port: 40_000 },
      completed: Promise.resolve(),
    };
    expect(await (await app.request('/', {}, denoInfo)).json()).toEqual({ ip: '203.0.113.9', key: '203.0.113.9' });
  });

  it('leaves the client unknown where the runtime names no peer (Workers bindings, a unix socket, nothing)', async () => {
    const app = whoAmI();
    const unknown = { ip: 'unknown', key: 'unknown' };
    for (const env of [undefined, { DB: {}, KV: {} }, { remoteAddr: { transport: 'unix', path: '/tmp/s' } }]) {
      expect(await (await app.request('/', { headers: { 'cf-connecting-ip': '198.51.100.1' } }, env)).json()).toEqual(
        unknown,
      );
    }
    const brokenBun = { requestIP: () => null };
    expect(await (await app.request('/', {}, brokenBun)).json()).toEqual(unknown);
  });
});
