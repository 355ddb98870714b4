import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { problemBody, problemJson, problemResponse } from './problem.ts';
import { Secret } from './secret.ts';
import { isSmarterError, SmarterConfigError, SmarterError } from './smarter-error.ts';

describe('SmarterError', () => {
  it('carries a stable code and status and is recognised by its brand', () => {
    const error = new SmarterError('INVALID_HOST', 'Invalid host', { status: 400 });
    expect(error.code).toBe('INVALID_HOST');
    expect(error.status).toBe(400);
    expect(isSmarterError(error)).toBe(true);
    expect(isSmarterError(new Error('x'))).toBe(false);
    expect(isSmarterError({ code: 'INVALID_HOST' })).toBe(false);
    expect(isSmarterError(new SmarterConfigError('bad'))).toBe(true);
  });
});

describe('problemJson', () => {
  it('is exactly JSON.stringify(problemBody(init)), first time and from its cache, whatever the strings hold', () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    const init = fc.record(
      {
        status: fc.integer({ min: 100, max: 599 }),
        code: fc.constantFrom('CLIENT_BANNED', 'NOT_FOUND', 'INVALID_HOST', 'X"Y', 'A\\B_\u2028'),
        title: fc.oneof(fc.constantFrom('Forbidden', 'Not found'), text),
        detail: text,
        reason: text,
        requestId: fc.oneof(fc.uuid(), text),
      },
      { requiredKeys: ['status', 'code', 'title'] },
    );
    fc.assert(
      fc.property(init, (i) => {
        const expected = JSON.stringify(problemBody(i));
        expect(problemJson(i)).toBe(expected);
        expect(problemJson(i)).toBe(expected);
        expect(JSON.parse(problemJson(i))).toEqual(problemBody(i));
      }),
      { numRuns: 500 },
    );
  });
});

describe('problemResponse', () => {
  it('renders RFC 9457 problem+json with extra headers and no detail unless given', async () => {
    const res = problemResponse(
      { status: 429, code: 'RATE_LIMITED', title: 'Too many requests' },
      { 'retry-after': '60' },
    );
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('retry-after')).toBe('60');
    const body = await res.json();
    expect(body).toEqual({
      type: 'urn:smarter:problem:rate-limited',
      title: 'Too many requests',
      status: 429,
      code: 'RATE_LIMITED',
    });
    expect(body).not.toHaveProperty('detail');
  });
});

describe('Secret', () => {
  it('never prints its value', () => {
    const secret = new Secret('hunter2-very-secret');
    expect(JSON.stringify({ secret })).toBe('{"secret":"***"}');
    expect(String(secret)).toBe('***');
    expect(`${secret}`).toBe('***');
    expect(inspect({ secret })).not.toContain('hunter2');
    expect(secret.reveal()).toBe('hunter2-very-secret');
  });
});
