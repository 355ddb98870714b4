// One whole request on Node, in process: @hono/node-server's request listener called with a real IncomingMessage
// and ServerResponse over a socket that discards what it is given. No kernel, no load generator: what is left is the
// JavaScript of the adapter, Hono, the guards and Node's HTTP response code, so the preset's cost over bare Hono can
// be read here with far less noise than through a loopback socket on a shared machine.
import { IncomingMessage, ServerResponse } from 'node:http';
import { Duplex } from 'node:stream';
import { getRequestListener } from '@hono/node-server';
import * as security from '@smarter/security';
import { Hono } from 'hono';
import { presetOptions, sharedState } from '../peers/fixtures/smarter-parts.ts';
import { findFunction, type MicroCase } from './cases.ts';

/** A connected socket as far as Node's HTTP code can tell; it counts and drops what is written. */
class NullSocket extends Duplex {
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 40000;
  readonly remoteFamily = 'IPv4';
  written = 0;
  constructor() {
    super({ decodeStrings: false });
  }
  override _read(): void {}
  override _write(chunk: { length: number }, _encoding: string, done: () => void): void {
    this.written += chunk.length;
    done();
  }
  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
}

type Listener = ReturnType<typeof getRequestListener>;

/** Serves one GET of `path` as a keep-alive HTTP/1.1 request from 127.0.0.1; returns the status written. */
function serveOne(listener: Listener, socket: NullSocket, path: string, host: string): number {
  const req = new IncomingMessage(socket as never);
  req.method = 'GET';
  req.url = path;
  req.httpVersion = '1.1';
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  req.headers = { host };
  req.rawHeaders = ['Host', host];
  req.complete = true;
  req.push(null);
  const res = new ServerResponse(req);
  res.shouldKeepAlive = true;
  res.assignSocket(socket as never);
  void listener(req, res);
  res.detachSocket(socket as never);
  return res.statusCode;
}

const HOST = '127.0.0.1:8080';
const PATH = '/api/v1/hello';
/** Requests between turns of the event loop: the adapter's and the streams' deferred work runs then, as it would. */
const TURN = 16;
/** Requests served before measuring. */
const WARM_UP = 30_000;

function requestCase(id: string, label: string, build: () => Hono | string | Promise<Hono | string>): MicroCase {
  return {
    id,
    group: 'One request on Node, in process',
    label,
    async prepare() {
      const app = await build();
      if (typeof app === 'string') return app;
      const listener = getRequestListener(app.fetch);
      const socket = new NullSocket();
      const status = serveOne(listener, socket, PATH, HOST);
      if (status !== 200) throw new Error(`${id}: GET ${PATH} answered ${status}`);
      // A whole server's worth of warm-up, longer than the loop's own: until every function on the path has been
      // optimised, batches measure the compiler, not the request.
      for (let i = 0; i < WARM_UP; i++) {
        serveOne(listener, socket, PATH, HOST);
        if (i % TURN === 0) await new Promise(setImmediate);
      }
      return {
        // The synchronous path writes the response before the listener returns; every TURN calls (the first
        // included, so the loop awaits the op) the op yields a turn of the event loop, so ticks queued by the streams
        // do not pile up across a whole batch.
        op: (i: number) => {
          serveOne(listener, socket, PATH, HOST);
          return i % TURN === 0 ? new Promise(setImmediate) : undefined;
        },
        notes: ['GET small JSON, keep-alive, null socket'],
      };
    },
  };
}

function bareApp(): Hono {
  const app = new Hono();
  app.get(PATH, (c) => c.json({ message: 'hello', ok: true }));
  return app;
}

function presetApp(): Hono | string {
  const smarter = findFunction<(options: unknown) => { install(app: Hono): void }>(
    security as Record<string, unknown>,
    'smarter',
  );
  if (!smarter) return 'not available yet: @smarter/security exports no smarter';
  const options = presetOptions(sharedState());
  const app = new Hono();
  smarter(options).install(app);
  app.get(PATH, (c) => c.json({ message: 'hello', ok: true }));
  return app;
}

/** Per-response headers the headers-floor app does not copy from the preset (the adapter's, or unique). */
const PER_RESPONSE = new Set(['date', 'content-length', 'x-request-id', 'connection', 'keep-alive']);

/**
 * Bare Hono answering with the preset's response headers (copied from the preset's own answer, one plain object per
 * response, a request id of the preset's shape) and no guard: the in-process floor SPEC §7's headers put under any
 * preset, as the peers' "bare Hono + the preset's headers" is through a socket.
 */
async function headersApp(): Promise<Hono | string> {
  const smarter = findFunction<(options: unknown) => { install(app: Hono): void }>(
    security as Record<string, unknown>,
    'smarter',
  );
  if (!smarter) return 'not available yet: @smarter/security exports no smarter';
  const probe = new Hono();
  // The probe runs without a socket: the peer address is given, not read from the connection.
  smarter({ ...presetOptions(sharedState()), peerAddress: () => '127.0.0.1' }).install(probe);
  probe.get(PATH, (c) => c.json({ message: 'hello', ok: true }));
  const res = await probe.request(`http://${HOST}${PATH}`);
  if (res.status !== 200) return `not available: the preset answered the header probe with ${res.status}`;
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (!PER_RESPONSE.has(name)) headers[name] = value;
  });
  const prefix = crypto.randomUUID().slice(0, 24);
  let sequence = 0;
  const app = new Hono();
  app.get(PATH, () => {
    sequence += 1;
    // The spread last: on Node 20 a property added after a spread costs 1-3 µs a call.
    return new Response(JSON.stringify({ message: 'hello', ok: true }), {
      status: 200,
      headers: { 'x-request-id': `${prefix}${sequence.toString(16).padStart(12, '0')}`, ...headers },
    });
  });
  return app;
}

/** The same small JSON GET served by bare Hono, with the preset's headers and no guard, and behind the full preset. */
export const REQUEST_CASES: readonly MicroCase[] = [
  requestCase('request-bare', 'bare Hono: one small JSON GET', bareApp),
  requestCase('request-headers', "bare Hono + the preset's headers, no guard: one small JSON GET", headersApp),
  requestCase('request-preset', 'full preset: one small JSON GET (every guard, 13 headers)', presetApp),
];
