import { describe, expect, it } from 'vitest';
import { createJournal, memorySink } from './journal.ts';

describe('createJournal', () => {
  it('stamps id and time from the injected clock and fans out to every sink', () => {
    const a = memorySink();
    const b = memorySink();
    const journal = createJournal({ sinks: [a, b], now: () => Date.UTC(2026, 0, 1) });
    journal.emit({ type: 'path.sensitive', severity: 'warning', path: '/.env', status: 403 });
    expect(a.events).toHaveLength(1);
    expect(b.events).toHaveLength(1);
    expect(a.events[0]?.time).toBe('2026-01-01T00:00:00.000Z');
    expect(a.events[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.events[0]?.type).toBe('path.sensitive');
  });

  it('never lets a failing sink throw into the caller, and hands async writes to waitUntil', async () => {
    const errors: unknown[] = [];
    const scheduled: Promise<unknown>[] = [];
    const journal = createJournal({
      sinks: [
        {
          write() {
            throw new Error('sync boom');
          },
        },
        { write: () => Promise.reject(new Error('async boom')) },
      ],
      onSinkError: (e) => errors.push(e),
    });
    expect(() => journal.emit({ type: 'auth.failed', severity: 'notice' }, (p) => scheduled.push(p))).not.toThrow();
    expect(scheduled).toHaveLength(1);
    await Promise.all(scheduled);
    expect(errors).toHaveLength(2);
  });
});
