import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pacedFlood, ResponseReader, requestsDue } from './paced-flood.ts';

function statusesOf(chunks: readonly string[]): number[] {
  const reader = new ResponseReader();
  const seen: number[] = [];
  for (const chunk of chunks) reader.feed(Buffer.from(chunk, 'latin1'), (s) => seen.push(s));
  return seen;
}

describe('ResponseReader', () => {
  const a = 'HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":false}'.slice(
    0,
    -1,
  );
  const b = 'HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n';
  const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n';

  it('reports each response once its body has arrived, however the bytes are split', () => {
    const all = a + b + chunked + a;
    expect(statusesOf([all])).toEqual([403, 404, 200, 403]);
    for (let cut = 1; cut < all.length; cut += 7) {
      expect(statusesOf([all.slice(0, cut), all.slice(cut)])).toEqual([403, 404, 200, 403]);
    }
    expect(statusesOf([...all])).toEqual([403, 404, 200, 403]);
  });

  it('waits for the rest of a body', () => {
    expect(statusesOf([a.slice(0, -3)])).toEqual([]);
    expect(statusesOf([chunked.slice(0, -2)])).toEqual([]);
  });

  it('throws on a chunk size that is not a number instead of looping', () => {
    expect(() => statusesOf(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n'])).toThrow(
      /chunk size/,
    );
  });
});

describe('requestsDue', () => {
  it('sends the turns that have come, at most a burst, and never a negative count', () => {
    expect(requestsDue(2000, 1, 0, 10)).toBe(2);
    expect(requestsDue(2000, 10, 2, 10)).toBe(10);
    expect(requestsDue(2000, 10, 20, 10)).toBe(0);
    expect(requestsDue(2000, 10, 25, 10)).toBe(0);
  });
});

describe('pacedFlood', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  /** Starts a loopback server with `handler`; returns its base URL. */
  async function serve(handler: RequestListener): Promise<string> {
    const started = createServer(handler);
    server = started;
    await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(started.address() as AddressInfo).port}`;
  }

  it('spreads a fixed rate over the second instead of spending it in a burst', async () => {
    const arrivals: number[] = [];
    const paths = new Set<string>();
    const baseUrl = await serve((req, res) => {
      arrivals.push(performance.now());
      paths.add(req.url ?? '');
      res.writeHead(req.headers['x-forwarded-for'] === '198.51.100.9' ? 403 : 500, { 'content-length': '2' });
      res.end('no');
    });
    const result = await pacedFlood({
      baseUrl,
      rate: 400,
      durationSec: 1,
      connections: 16,
      paths: 'random-404',
      addresses: 'one',
      address: '198.51.100.9',
    });
    expect(result.statuses).toEqual({ '403': result.requests });
    expect(result.errors).toBe(0);
    // 400 turns in one second; a process that was not scheduled for a while skips turns, so allow a shortfall.
    expect(result.requests).toBeGreaterThan(200);
    expect(result.requests).toBeLessThanOrEqual(400);
    expect(paths.size).toBe(arrivals.length);
    // Paced: no tenth of a second holds more than a few ticks' worth beyond its share (40). autocannon's per-second
    // budget would put nearly all of them in the first tenth.
    const start = arrivals[0] as number;
    const windows = new Array<number>(11).fill(0);
    for (const t of arrivals) {
      const w = Math.min(10, Math.floor((t - start) / 100));
      windows[w] = (windows[w] ?? 0) + 1;
    }
    expect(Math.max(...windows)).toBeLessThanOrEqual(60);
  });

  it('counts a request whose connection the server drops as an error, and carries on over a new connection', async () => {
    let seen = 0;
    const baseUrl = await serve((req, res) => {
      seen++;
      // Every third request loses its connection without an answer; the rest are answered 404.
      if (seen % 3 === 0) req.socket.destroy();
      else {
        res.writeHead(404, { 'content-length': '0' });
        res.end();
      }
    });
    const result = await pacedFlood({
      baseUrl,
      rate: 200,
      durationSec: 1,
      connections: 4,
      paths: 'sensitive',
      addresses: 'many',
    });
    expect(result.errors).toBeGreaterThan(10);
    expect(result.statuses).toEqual({ '404': result.requests });
    // Dropped connections were replaced: answers kept coming after the first four connections were gone.
    expect(result.requests).toBeGreaterThan(40);
    expect(result.requests + result.errors).toBeLessThanOrEqual(seen);
  });

  it('reports the rate achieved inside the measured window only', async () => {
    const baseUrl = await serve((_req, res) => {
      res.writeHead(403, { 'content-length': '0' });
      res.end();
    });
    const spec = { baseUrl, rate: 300, connections: 8 } as const;
    const outside = await pacedFlood({
      ...spec,
      durationSec: 1,
      measureFromSec: 5,
      measureSec: 1,
      paths: 'random-404',
      addresses: 'one',
    });
    expect(outside.requests).toBeGreaterThan(100);
    expect(outside.rps).toBe(0);
  });
});
