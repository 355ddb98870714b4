import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { createJournal, memorySink } from '../journal/journal.ts';
import { cspReport, resolveCspReportOptions } from './csp-report.ts';

const legacy = JSON.stringify({
  'csp-report': {
    'document-uri': 'https://app.example/account?token=abc',
    'effective-directive': 'script-src-elem',
    'blocked-uri': 'https://evil.example/x.js?session=s3cret',
    disposition: 'enforce',
  },
});

function setup(sampleRate: number, random = () => 0.5) {
  const sink = memorySink();
  const app = new Hono();
  app.post('/csp-report', cspReport({ journal: createJournal({ sinks: [sink] }), sampleRate, random }));
  return { app, sink };
}

const post = (body: string, type = 'application/csp-report') => ({
  method: 'POST',
  headers: { 'content-type': type },
  body,
});

describe('cspReport', () => {
  it('validates its options', () => {
    const journal = createJournal();
    expect(() => resolveCspReportOptions({ journal, sampleRate: 2 })).toThrow(SmarterConfigError);
    expect(() => resolveCspReportOptions({ journal, rate: 1 } as never)).toThrow(/unknown option/);
  });

  it('journals a sampled csp.report with the blocked origin and page path only, and answers 204', async () => {
    const { app, sink } = setup(1);
    const res = await app.request('/csp-report', post(legacy));
    expect(res.status).toBe(204);
    expect(sink.events).toHaveLength(1);
    expect(sink.events[0]).toMatchObject({
      type: 'csp.report',
      details: {
        directive: 'script-src-elem',
        blocked: 'https://evil.example',
        page: '/account',
        disposition: 'enforce',
      },
    });
    expect(JSON.stringify(sink.events)).not.toMatch(/s3cret|token=abc/);
    const api = JSON.stringify([
      {
        type: 'csp-violation',
        body: { effectiveDirective: 'img-src', blockedURL: 'inline', documentURL: 'https://app.example/' },
      },
    ]);
    await app.request('/csp-report', post(api, 'application/reports+json'));
    expect(sink.events[1]?.details).toEqual({ directive: 'img-src', blocked: 'inline', page: '/' });
  });

  it('drops unsampled, oversized, malformed and wrongly typed reports, still answering 204', async () => {
    const { app, sink } = setup(0.1, () => 0.5);
    expect((await app.request('/csp-report', post(legacy))).status).toBe(204);
    const all = setup(1);
    for (const init of [
      post('{'),
      post(legacy, 'text/plain'),
      post(JSON.stringify({ 'csp-report': { x: 'a'.repeat(20_000) } })),
    ]) {
      expect((await all.app.request('/csp-report', init)).status).toBe(204);
    }
    expect(sink.events).toHaveLength(0);
    expect(all.sink.events).toHaveLength(0);
  });
});
