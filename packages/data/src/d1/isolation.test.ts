import { describe, expect, it, vi } from 'vitest';

// If the D1 entry (or the shared code it pulls in) imported a Node driver, these would throw on import.
vi.mock('better-sqlite3', () => {
  throw new Error('better-sqlite3 was loaded');
});
vi.mock('postgres', () => {
  throw new Error('postgres was loaded');
});

describe('the D1 entry', () => {
  it('loads with the package root and testing helpers without loading better-sqlite3 or postgres', async () => {
    const d1 = await import('./index.ts');
    const root = await import('../index.ts');
    expect(typeof d1.fromD1).toBe('function');
    expect(typeof root.migrate).toBe('function');
    expect(typeof (await import('../testing/contract.ts')).runDataContract).toBe('function');
  });

  it('is really guarded: the better-sqlite3 entry does fail to load here', async () => {
    const error = await import('../better-sqlite3/index.ts').then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(`${error?.message} ${String(error?.cause)}`).toContain('better-sqlite3 was loaded');
  });
});
