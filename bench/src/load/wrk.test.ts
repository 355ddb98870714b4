import { describe, expect, it } from 'vitest';
import { parseWrkOutput, wrkScript } from './wrk.ts';

const SAMPLE = `Running 4s test @ http://127.0.0.1:40123/json
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   412.31us  120.00us   9.80ms   95.00%
    Req/Sec    38.90k     1.20k   40.10k    80.00%
  Latency Distribution
     50%  390.00us
     75%  420.00us
     90%  480.00us
     99%    1.25ms
  155600 requests in 4.00s, 25.10MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 17
Requests/sec:  38891.42
Transfer/sec:      6.27MB
`;

describe('wrk output', () => {
  it('reads throughput, percentiles in milliseconds, errors and non-2xx counts', () => {
    const r = parseWrkOutput(SAMPLE);
    expect(r).toMatchObject({ generator: 'wrk', requests: 155600, rps: 38891.42, errors: 3, non2xx: 17 });
    expect(r.p50Ms).toBeCloseTo(0.39, 6);
    expect(r.p99Ms).toBeCloseTo(1.25, 6);
  });

  it('reports missing figures as NaN and missing error lines as zero', () => {
    const r = parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused');
    expect(r.rps).toBeNaN();
    expect(r.p99Ms).toBeNaN();
    expect(r.errors).toBe(0);
    expect(r.non2xx).toBe(0);
  });

  it('writes a Lua script that sets method, headers and an escaped body', () => {
    const lua = wrkScript({
      url: 'http://x/',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":"b\\"c"}',
      connections: 1,
      durationSec: 1,
    });
    expect(lua).toContain('wrk.method = "POST"');
    expect(lua).toContain('wrk.headers["content-type"] = "application/json"');
    expect(lua).toContain('wrk.body = "{\\"a\\":\\"b\\\\\\"c\\"}"');
    expect(wrkScript({ url: 'http://x/', connections: 1, durationSec: 1 })).not.toContain('wrk.body');
    expect(wrkScript({ url: 'http://x/', connections: 1, durationSec: 1 })).not.toContain('request = function');
  });

  it('rotates X-Forwarded-For per request when asked', () => {
    const lua = wrkScript({ url: 'http://x/', connections: 1, durationSec: 1, rotateForwardedFor: true });
    expect(lua).toContain('request = function()');
    expect(lua).toContain('wrk.headers["x-forwarded-for"] = "10." ..');
    expect(lua).toContain('return wrk.format()');
  });
});
