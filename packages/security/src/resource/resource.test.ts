import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { createJournal, memorySink } from '../journal/journal.ts';
import { resolveResourceLimitsOptions, resourceLimits } from './resource-limits.ts';

describe('resourceLimits', () => {
  it('rejects unknown and non-positive thresholds', () => {
    expect(() => resolveResourceLimitsOptions({ wallTime: 1 } as never)).toThrow(SmarterConfigError);
    expect(() => resolveResourceLimitsOptions({ wallTimeMs: 0 })).toThrow(/positive/);
  });

  it('journals requests past thresholds (injected clock) and counts every request for Prometheus', async () => {
    const sink = memorySink();
    let now = 0;
    const r = resourceLimits({
      journal: createJournal({ sinks: [sink] }),
      wallTimeMs: 100,
      requestBytes: 10,
      now: () => now,
      memory: () => 123,
    });
    const app = new Hono();
    app.use(r.middleware);
    app.get('/slow', (c) => {
      now += 250;
      return c.text('done');
    });
    app.get('/fast', (c) => c.text('fast'));
    app.get('/w/*', (c) => {
      now += 250;
      return c.text('done');
    });
    app.post('/upload', (c) => c.text('ok'));
    app.get('/metrics', r.prometheus);
    await app.request('/fast');
    expect(sink.events).toHaveLength(0);
    await app.request('/slow');
    await app.request('/upload', { method: 'POST', body: 'x'.repeat(20), headers: { 'content-length': '20' } });
    expect(sink.events.map((e) => e.reason)).toEqual(['WALL_TIME', 'REQUEST_BYTES']);
    expect(sink.events[0]).toMatchObject({ type: 'resource.limit', path: '/slow', details: { ms: 250, limitMs: 100 } });
    // The path journaled is the canonical one (as every other event's), never the raw encoding a client chose.
    await app.request('/w//x;jsessionid=1');
    expect(sink.events[2]).toMatchObject({ reason: 'WALL_TIME', path: '/w/x' });
    const metrics = await app.request('/metrics');
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    expect(text).toContain('smarter_requests_total{status="2xx"} 4');
    expect(text).toContain('smarter_request_duration_seconds_bucket{le="0.25"} 4');
    expect(text).toContain('smarter_request_duration_seconds_bucket{le="0.1"} 2');
    expect(text).toContain('smarter_request_bytes_total 20');
    expect(text).toContain('smarter_memory_resident_bytes 123');
    expect(text).not.toContain('4xx');
  });

  it('journals resident memory past its threshold at most once per 10 s', async () => {
    const sink = memorySink();
    let now = 0;
    const r = resourceLimits({
      journal: createJournal({ sinks: [sink] }),
      memoryBytes: 100,
      now: () => now,
      memory: () => 500,
    });
    const app = new Hono();
    app.use(r.middleware);
    app.get('/', (c) => c.text('ok'));
    await app.request('/');
    await app.request('/');
    expect(sink.events.map((e) => e.reason)).toEqual(['MEMORY']);
    now += 10_001;
    await app.request('/');
    expect(sink.events.map((e) => e.reason)).toEqual(['MEMORY', 'MEMORY']);
    expect(sink.events[0]?.details).toEqual({ bytes: 500, limit: 100 });
  });
});
