import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { clientIdentity } from '../identity/client-identity.ts';
import { createJournal, memorySink } from '../journal/journal.ts';
import { internalOnly, resolveInternalOnlyOptions } from './internal-only.ts';

function setup(peer: string | undefined, options: Parameters<typeof internalOnly>[0] = {}) {
  const handler = vi.fn();
  const sink = memorySink();
  const app = new Hono();
  app.use(clientIdentity({ trustedProxies: ['10.0.0.1'], peerAddress: () => peer }));
  app.use('/metrics', internalOnly({ journal: createJournal({ sinks: [sink] }), ...options }));
  app.get('/metrics', (c) => {
    handler();
    return c.text('m 1');
  });
  return { app, handler, sink };
}

describe('internalOnly', () => {
  it('lets internal clients in and hides the route from others', async () => {
    expect((await setup('127.0.0.1').app.request('/metrics')).status).toBe(200);
    expect((await setup('192.168.1.5').app.request('/metrics')).status).toBe(200);
    const outside = setup('203.0.113.1');
    const res = await outside.app.request('/metrics', { headers: { host: 'localhost' } });
    expect(res.status).toBe(404);
    expect(outside.handler).not.toHaveBeenCalled();
    expect(outside.sink.events[0]).toMatchObject({ type: 'internal.rejected', clientKey: '203.0.113.1' });
  });

  it('uses the client resolved through trusted proxies, not the proxy', async () => {
    const viaProxy = setup('10.0.0.1', { allow: ['10.0.0.0/8'] });
    expect((await viaProxy.app.request('/metrics', { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(
      404,
    );
    expect((await viaProxy.app.request('/metrics', { headers: { 'x-forwarded-for': '10.2.3.4' } })).status).toBe(200);
  });

  it('refuses an unknown client address and can answer 403', async () => {
    expect((await setup(undefined).app.request('/metrics')).status).toBe(404);
    expect((await setup('203.0.113.1', { status: 403 }).app.request('/metrics')).status).toBe(403);
  });

  it('validates its options', () => {
    expect(() => resolveInternalOnlyOptions({ allow: ['0.0.0.0/0'] })).toThrow(SmarterConfigError);
    expect(() => resolveInternalOnlyOptions({ allow: ['intranet'] })).toThrow(/CIDRs or loopback/);
    expect(() => resolveInternalOnlyOptions({ allow: [] })).toThrow(/non-empty/);
  });
});
