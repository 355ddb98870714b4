import { describe, expect, it } from 'vitest';
import { floodAddress, floodPath, LEGIT_ADDRESS, SENSITIVE_PROBES, SINGLE_FLOOD_ADDRESS } from './flood-requests.ts';

describe('flood requests', () => {
  it('gives every request of a many-address flood its own valid IPv4 address', () => {
    const seen = new Set<string>();
    for (let n = 0; n < 70_000; n++) seen.add(floodAddress(n));
    expect(seen.size).toBe(70_000);
    expect(floodAddress(0x010203)).toBe('10.1.2.3');
    expect([...seen].every((a) => /^10\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a))).toBe(true);
    expect(seen.has(LEGIT_ADDRESS)).toBe(false);
    expect(seen.has(SINGLE_FLOOD_ADDRESS)).toBe(false);
  });

  it('sends unknown paths that differ per request, or the sensitive probes in turn', () => {
    expect(floodPath('random-404', 1)).not.toBe(floodPath('random-404', 2));
    expect(floodPath('random-404', 7)).toMatch(/^\/scan\//);
    expect(floodPath('sensitive', 0)).toBe(SENSITIVE_PROBES[0]);
    expect(floodPath('sensitive', SENSITIVE_PROBES.length + 1)).toBe(SENSITIVE_PROBES[1]);
  });
});
