import { describe, expect, it } from 'vitest';
import { requestIdGenerator } from './request-ids.ts';

describe('requestIdGenerator', () => {
  it('counts in hex after a random UUID-shaped prefix, carrying across digits', () => {
    const next = requestIdGenerator();
    const ids = Array.from({ length: 300 }, () => next());
    const prefix = (ids[0] as string).slice(0, 24);
    expect(prefix).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-$/);
    ids.forEach((id, i) => {
      expect(id).toHaveLength(36);
      expect(id.slice(0, 24)).toBe(prefix);
      expect(Number.parseInt(id.slice(24), 16)).toBe(i + 1);
    });
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives each generator its own prefix', () => {
    expect(requestIdGenerator()().slice(0, 24)).not.toBe(requestIdGenerator()().slice(0, 24));
  });
});
