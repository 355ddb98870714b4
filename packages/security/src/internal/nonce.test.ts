import { describe, expect, it } from 'vitest';
import { newNonce } from './nonce.ts';

describe('newNonce', () => {
  it('gives 128-bit hex nonces that never repeat, across many refills of the pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const nonce = newNonce();
      expect(nonce).toMatch(/^[0-9a-f]{32}$/);
      seen.add(nonce);
    }
    expect(seen.size).toBe(5_000);
  });

  it('uses every hex digit in every position over many draws (no stuck bytes)', () => {
    const digits = Array.from({ length: 32 }, () => new Set<string>());
    for (let i = 0; i < 2_000; i++) {
      const nonce = newNonce();
      for (let j = 0; j < 32; j++) digits[j]?.add(nonce[j] as string);
    }
    for (const d of digits) expect(d.size).toBe(16);
  });
});
