// A fixed-rate flood that is fixed at every instant, not only on average. autocannon's `overallRate` gives each
// connection a budget per second and spends it at once: a "2,000 req/s" flood over 64 connections arrives as a burst
// of 2,000 closed-loop requests at the start of every second, then silence. Against a saturated server that burst
// queues the measured client behind 64 busy connections for a tenth of a second, every second, and its p99 measured
// the burst, not the defence. This generator sends each request when its turn comes (rate × elapsed time), over
// keep-alive connections with one request in flight each, and counts the answers by status.
import { connect, type Socket } from 'node:net';
import { floodAddress, floodPath, SINGLE_FLOOD_ADDRESS } from './flood-requests.ts';
import type { FloodSpec, LoadResult } from './types.ts';

const HEAD_END = Buffer.from('\r\n\r\n');
const LINE_END = Buffer.from('\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;
const CHUNKED = /\r\ntransfer-encoding:[ \t]*[^\r]*chunked/i;

/**
 * Splits the bytes of one connection into HTTP/1.1 responses and reports each one's status when its body has
 * arrived. Bodies are framed by `Content-Length` or chunked encoding (without trailers); responses without either
 * (as to a GET answered 204 or 304) have none. Throws on a chunk size that is not hexadecimal: the connection's
 * framing is lost, and its owner should drop it.
 */
export class ResponseReader {
  #buffer: Buffer = Buffer.alloc(0);
  /** Body bytes still to skip; -1 while reading a head, -2 while reading chunks. */
  #remaining = -1;
  #status = 0;

  /** Takes the next bytes; calls `onResponse` for every response they complete. */
  feed(chunk: Buffer, onResponse: (status: number) => void): void {
    let buf = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      if (this.#remaining === -1) {
        const end = buf.indexOf(HEAD_END);
        if (end === -1) break;
        const head = buf.toString('latin1', 0, end);
        this.#status = Number(head.slice(9, 12));
        buf = buf.subarray(end + HEAD_END.length);
        if (CHUNKED.test(head)) this.#remaining = -2;
        else this.#remaining = Number(CONTENT_LENGTH.exec(head)?.[1] ?? 0);
      } else if (this.#remaining === -2) {
        const end = buf.indexOf(LINE_END);
        if (end === -1) break;
        const size = Number.parseInt(buf.toString('latin1', 0, end), 16);
        if (!Number.isFinite(size) || size < 0) throw new Error('malformed chunk size');
        if (buf.length < end + 2 + size + 2) break;
        buf = buf.subarray(end + 2 + size + 2);
        if (size === 0) {
          this.#remaining = -1;
          onResponse(this.#status);
        }
      } else if (buf.length < this.#remaining) {
        this.#remaining -= buf.length;
        buf = buf.subarray(buf.length);
        break;
      } else {
        buf = buf.subarray(this.#remaining);
        this.#remaining = -1;
        onResponse(this.#status);
      }
    }
    this.#buffer = buf.length === 0 ? Buffer.alloc(0) : Buffer.from(buf);
  }
}

/**
 * How many requests to send now: those whose turn has come (`rate` per second since the start) and were neither sent
 * nor given up yet, at most `maxBurst`. A generator that fell behind (its process was not scheduled) skips the turns
 * it missed instead of catching up in a burst.
 */
export function requestsDue(rate: number, elapsedMs: number, issued: number, maxBurst: number): number {
  const due = Math.floor((rate * elapsedMs) / 1000) - issued;
  return due <= 0 ? 0 : Math.min(due, maxBurst);
}

/**
 * Turns that may be sent at once, in ms of the rate: a tick comes every millisecond or so when the process gets the
 * core, and a late tick makes up for up to 20 ms (40 requests at 2,000 req/s), not for a whole second as autocannon.
 */
const BURST_MS = 20;

interface Connection {
  readonly socket: Socket;
  readonly reader: ResponseReader;
  connected: boolean;
  busy: boolean;
  closed: boolean;
}

/** How long a lost connection waits before the generator opens its replacement. */
const RECONNECT_MS = 20;

/**
 * Runs one flood as `spec` says; resolves when its duration is over and the last answers came in (or 2 s later).
 * At most `spec.connections` requests are in flight: a turn that finds every connection waiting is skipped, so a
 * server that answers slowly shows as a lower achieved rate, not as a queue.
 */
export function pacedFlood(spec: FloodSpec): Promise<LoadResult> {
  const url = new URL(spec.baseUrl);
  const port = Number(url.port);
  const host = url.hostname;
  const windowFrom = (spec.measureFromSec ?? 0) * 1000;
  const windowSec = spec.measureSec ?? spec.durationSec;
  const windowTo = windowFrom + windowSec * 1000;
  const statuses: Record<string, number> = {};
  let answered = 0;
  let answeredInWindow = 0;
  let errors = 0;
  let issued = 0;
  let n = Math.floor(Math.random() * 0xfffff);
  let sent = 0;
  let stopped = false;
  const idle: Connection[] = [];
  const all = new Set<Connection>();
  const started = performance.now();

  const open = (): Connection => {
    const conn: Connection = {
      socket: connect({ host, port }),
      reader: new ResponseReader(),
      connected: false,
      busy: false,
      closed: false,
    };
    all.add(conn);
    conn.socket.setNoDelay(true);
    conn.socket.once('connect', () => {
      conn.connected = true;
    });
    const answer = (status: number) => {
      if (!conn.busy) return; // nothing was asked on this connection (a server's parting 408, say)
      answered++;
      const at = performance.now() - started;
      if (at >= windowFrom && at < windowTo) answeredInWindow++;
      statuses[status] = (statuses[status] ?? 0) + 1;
      conn.busy = false;
      if (!conn.closed) idle.push(conn);
    };
    conn.socket.on('data', (chunk: Buffer) => {
      try {
        conn.reader.feed(chunk, answer);
      } catch {
        conn.socket.destroy();
      }
    });
    const lost = () => {
      if (conn.closed) return;
      conn.closed = true;
      all.delete(conn);
      // A request without its answer, or a connection that never opened, is an error.
      if (conn.busy || !conn.connected) errors++;
      const at = idle.indexOf(conn);
      if (at !== -1) idle.splice(at, 1);
      // An attacker reconnects: the pool keeps its size (after a pause, so a server that refuses is not hammered).
      setTimeout(() => {
        if (!stopped) idle.push(open());
      }, RECONNECT_MS);
    };
    conn.socket.on('error', lost);
    conn.socket.on('end', lost);
    conn.socket.on('close', lost);
    return conn;
  };

  for (let i = 0; i < spec.connections; i++) idle.push(open());

  const send = (conn: Connection) => {
    n++;
    const address = spec.addresses === 'one' ? (spec.address ?? SINGLE_FLOOD_ADDRESS) : floodAddress(n);
    conn.busy = true;
    conn.socket.write(
      `GET ${floodPath(spec.paths, n)} HTTP/1.1\r\nHost: ${url.host}\r\nX-Forwarded-For: ${address}\r\n\r\n`,
    );
  };

  const maxBurst = Math.max(1, Math.ceil((spec.rate * BURST_MS) / 1000));
  const endAt = started + spec.durationSec * 1000;
  return new Promise((resolve) => {
    const finish = () => {
      stopped = true;
      for (const conn of all) {
        conn.closed = true;
        conn.socket.destroy();
      }
      resolve({
        generator: 'paced',
        requests: answered,
        rps: answeredInWindow / windowSec,
        p50Ms: Number.NaN,
        p99Ms: Number.NaN,
        errors,
        non2xx: answered - (statuses['200'] ?? 0),
        statuses,
      });
    };
    const tick = () => {
      const now = performance.now();
      if (now >= endAt) {
        const deadline = now + 2000;
        const drain = () => {
          if (answered + errors >= sent || performance.now() >= deadline) finish();
          else setTimeout(drain, 5);
        };
        drain();
        return;
      }
      const due = requestsDue(spec.rate, now - started, issued, maxBurst);
      // Turns beyond the burst cap, or with every connection waiting for an answer, are skipped, not queued.
      issued = Math.floor((spec.rate * (now - started)) / 1000);
      for (let i = 0; i < due && idle.length > 0; i++) {
        // First in, first out: every connection carries its share, so none sits idle into a keep-alive timeout.
        // (A lost connection leaves this list at once; one still connecting buffers the request until it is open.)
        send(idle.shift() as Connection);
        sent++;
      }
      setTimeout(tick, 1);
    };
    setTimeout(tick, 1);
  });
}
