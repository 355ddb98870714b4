import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { Phase } from '../internal/phase.ts';
import { composePhases } from './compose.ts';

function tracing(log: string[], name: string, answer?: 'respond' | 'throw'): Phase {
  return {
    before: (c) => {
      log.push(`${name}:before`);
      if (answer === 'respond') return c.text(`from ${name}`, 403);
      if (answer === 'throw') throw new Error(`boom in ${name}`);
      return undefined;
    },
    after: async (c) => {
      log.push(`${name}:after:${c.res.status}`);
    },
  };
}

function appWith(phases: Phase[], log: string[]): Hono {
  const app = new Hono();
  const onError = (_e: Error, c: Parameters<Parameters<Hono['onError']>[0]>[1]) => c.text('rendered error', 500);
  app.use(composePhases(phases, onError));
  app.get('/', (c) => {
    log.push('handler');
    return c.text('ok');
  });
  return app;
}

describe('composePhases', () => {
  it('runs befores in order, the handler, then afters innermost first', async () => {
    const log: string[] = [];
    const res = await appWith([tracing(log, 'a'), tracing(log, 'b')], log).request('/');
    expect(res.status).toBe(200);
    expect(log).toEqual(['a:before', 'b:before', 'handler', 'b:after:200', 'a:after:200']);
  });

  it('an answering before stops the way in: no inner phase, no handler, no own after; outer afters see it', async () => {
    const log: string[] = [];
    const res = await appWith([tracing(log, 'a'), tracing(log, 'b', 'respond'), tracing(log, 'c')], log).request('/');
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('from b');
    expect(log).toEqual(['a:before', 'b:before', 'a:after:403']);
    expect(log).not.toContain('handler');
  });

  it('a throwing before is rendered by onError and outer afters still run', async () => {
    const log: string[] = [];
    const res = await appWith([tracing(log, 'a'), tracing(log, 'b', 'throw'), tracing(log, 'c')], log).request('/');
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('rendered error');
    expect(log).toEqual(['a:before', 'b:before', 'a:after:500']);
  });
});
