import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { Secret } from '../errors/secret.ts';
import { emitFor } from './emit.ts';
import type { JournalEvent } from './events.ts';
import { createJournal, memorySink } from './journal.ts';
import { journalLine, jsonLinesSink } from './json-lines.ts';
import { cutBeforeWord, redactCredentials } from './redact.ts';
import { requestId } from './request-id.ts';

const base: JournalEvent = { id: 'e1', time: '2026-01-01T00:00:00.000Z', type: 'auth.failed', severity: 'notice' };

describe('jsonLinesSink', () => {
  it('writes one JSON line per event with secrets redacted by construction', () => {
    const lines: string[] = [];
    const sink = jsonLinesSink({ write: (l) => lines.push(l) });
    const event = {
      ...base,
      reason: 'BAD_KEY',
      token: 'sk_live_leaked_as_extra_field',
      details: {
        authorization: 'Bearer abc',
        password: 'hunter2',
        keyPrefix: 'sk_12',
        note: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
        nested: { sessionId: 's', ok: 1, secret: new Secret('x') },
        wrapped: new Secret('very-secret'),
        long: 'a'.repeat(1000),
      },
    } as JournalEvent;
    sink.write(event);
    expect(lines).toHaveLength(1);
    const line = lines[0] as string;
    expect(line).not.toContain('\n');
    for (const leak of ['sk_live', 'Bearer', 'hunter2', 'eyJhbGci', 'very-secret']) expect(line).not.toContain(leak);
    const parsed = JSON.parse(line);
    expect(parsed).toMatchObject({ id: 'e1', type: 'auth.failed', reason: 'BAD_KEY' });
    expect(parsed).not.toHaveProperty('token');
    expect(parsed.details).toMatchObject({ authorization: '***', password: '***', keyPrefix: 'sk_12', note: '***' });
    expect(parsed.details.nested).toEqual({ sessionId: '***', ok: 1, secret: '***' });
    expect(parsed.details.long.length).toBeLessThan(600);
  });

  it('redacts token-looking scalar fields too', () => {
    const line = journalLine({ ...base, principal: 'A'.repeat(64) });
    expect(JSON.parse(line).principal).toBe('***');
  });

  it('keeps long readable paths, masking only segments and parameters that look like credentials', () => {
    const slug = '/api/v1/agents/customer-support-bot-production-eu-west/deploy';
    expect(JSON.parse(journalLine({ ...base, path: slug })).path).toBe(slug);
    const reset = journalLine({ ...base, path: '/reset/Xy7fQ2pLm9ZkR4tV8wN3bC6hJ1sD5gA0eK/confirm?token=abc123&x=1' });
    expect(JSON.parse(reset).path).toBe('/reset/***/confirm?token=***&x=1');
  });

  it('masks credentials inside longer text, keeping the rest readable', () => {
    const key = `smk_${'a'.repeat(16)}_${'B1'.repeat(24)}`;
    const details = {
      header: 'Authorization: Bearer abcdef0123456789',
      basic: 'sent Basic dXNlcjpwYXNzd29yZA== to the proxy',
      url: 'could not reach postgres://app:hunter2@db.internal:5432/smarter',
      callback: 'https://app.example/callback?code=4/0AbCdEf&state=xyz&lang=en',
      pasted: `the key ${key} leaked in a message`,
      provider: 'openai rejected sk-proj-abcdefghijklmnop1234',
      error: Object.assign(new Error('duplicate key value violates unique constraint'), {
        detail: 'Key (email)=(a@b)',
      }),
    };
    const line = journalLine({ ...base, details });
    for (const leak of [
      'abcdef0123456789',
      'dXNlcjpwYXNzd29yZA',
      'hunter2',
      '4/0AbCdEf',
      'xyz',
      key,
      'sk-proj',
      'a@b',
    ]) {
      expect(line).not.toContain(leak);
    }
    const parsed = JSON.parse(line).details;
    expect(parsed.header).toBe('Authorization: Bearer ***');
    expect(parsed.url).toBe('could not reach postgres://app:***@db.internal:5432/smarter');
    expect(parsed.callback).toBe('https://app.example/callback?code=***&state=***&lang=en');
    expect(parsed.error).toEqual({ name: 'Error' });
  });

  it('masks a whole long bearer JWT, signature included, and letter-only tokens of 20 characters or more', () => {
    const jwt = `eyJhbGciOiJIUzI1NiJ9.${'eyJzdWIiOiIxIn0'.repeat(50)}.SIGsig_SECRET_SIGNATURE_abcdefXYZ`;
    const out = redactCredentials(`upstream said Bearer ${jwt} end`);
    expect(out).toBe('upstream said Bearer *** end');
    expect(redactCredentials('Authorization: Token abcdefghijklmnopqrstuvwx')).toBe('Authorization: Token ***');
  });

  it('cuts long text at a break, so no credential is left half-recognised at the edge', () => {
    const pad = 'word '.repeat(408); // 2,040 characters
    const out = redactCredentials(`${pad}redis://:Hunter2Hunter2Hunter2@cache:6379 and more text after it`);
    expect(out).not.toContain('Hunter');
    expect(out.endsWith('…')).toBe(true);
    expect(cutBeforeWord('/a/b/averyveryverylongsegment', 10)).toBe('/a/b/…');
    expect(cutBeforeWord('short', 10)).toBe('short');
  });

  it('keeps ordinary words after scheme names, and scans at most 2,048 characters of any text', () => {
    for (const text of ['token validation failed', 'basic checks passed', 'digest mismatch detected on upload']) {
      expect(redactCredentials(text)).toBe(text);
    }
    // A long run of letters (a decoded path with a space, say) is cut before the patterns run over it.
    const long = `/a ${'a'.repeat(200_000)} https://u:pw@db/x`;
    const scrubbed = redactCredentials(long);
    expect(scrubbed.length).toBeLessThanOrEqual(2049);
    expect(redactCredentials(`x ${'eyJ-'.repeat(600)}`).length).toBeLessThanOrEqual(2049);
    expect(JSON.parse(journalLine({ ...base, path: long })).path.length).toBeLessThan(600);
  });
});

describe('requestId and emitFor', () => {
  it('correlates events with the request id that the response carries, and uses waitUntil for async sinks', async () => {
    const sink = memorySink();
    const scheduled: Promise<unknown>[] = [];
    const journal = createJournal({ sinks: [sink, { write: async () => {} }] });
    const app = new Hono();
    app.use(requestId());
    app.get('/x', (c) => {
      emitFor(c, journal, { type: 'auth.failed', severity: 'notice', reason: 'NO_KEY' });
      return c.text('ok');
    });
    const res = await app.request('/x', { headers: { 'x-request-id': 'forged' } }, undefined, {
      waitUntil: (p: Promise<unknown>) => scheduled.push(p),
      passThroughOnException() {},
      props: {},
    });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(id).not.toBe('forged');
    expect(sink.events[0]).toMatchObject({ requestId: id, method: 'GET', path: '/x', reason: 'NO_KEY' });
    expect(scheduled).toHaveLength(1);
  });
});

describe('request ids', () => {
  it('are unique and UUID-shaped across many requests', async () => {
    const app = new Hono();
    app.use(requestId());
    app.get('/', (c) => c.text(c.get('requestId' as never) as string));
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) ids.add(await (await app.request('/')).text());
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
