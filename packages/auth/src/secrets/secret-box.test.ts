import { isSmarterError } from '@smarter/security';
import { fakeClock } from '@smarter/security/testing';
import { describe, expect, it } from 'vitest';
import { parseKeyRing } from '../keys/key-ring.ts';
import { RING_SOURCE } from '../testing-node/fixtures.ts';
import { createSecretBox, maskSecret } from './secret-box.ts';

const ring = parseKeyRing(RING_SOURCE);

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return isSmarterError(error) ? error.code : 'OTHER';
  }
}

describe('createSecretBox', () => {
  it('round-trips with AES-GCM and never stores the plaintext', async () => {
    const box = createSecretBox(ring);
    const sealed = await box.encrypt('sk-live-provider-key-1234');
    expect(sealed).not.toContain('sk-live');
    expect(sealed.startsWith('v1.k2.-.')).toBe(true);
    expect(await box.decrypt(sealed)).toBe('sk-live-provider-key-1234');
    expect(await box.encrypt('same')).not.toBe(await box.encrypt('same'));
  });

  it('enforces expiry by the clock, and the expiry cannot be edited', async () => {
    const clock = fakeClock();
    const box = createSecretBox(ring, { now: clock.now });
    const sealed = await box.encrypt('x', { expiresAt: clock.now() + 1000 });
    expect(await box.decrypt(sealed)).toBe('x');
    clock.advance(1000);
    expect(await codeOf(box.decrypt(sealed))).toBe('SECRET_EXPIRED');
    const parts = sealed.split('.');
    parts[2] = String(clock.now() + 10_000);
    expect(await codeOf(box.decrypt(parts.join('.')))).toBe('SECRET_INVALID');
  });

  it('refuses tampering and unknown keys, and decrypts old-key secrets after rotation', async () => {
    const oldBox = createSecretBox(parseKeyRing(RING_SOURCE.split(',')[1]?.trim()));
    const sealed = await oldBox.encrypt('rotated');
    const box = createSecretBox(ring);
    expect(await box.decrypt(sealed)).toBe('rotated');
    expect(box.needsRotation(sealed)).toBe(true);
    expect(box.needsRotation(await box.encrypt('new'))).toBe(false);
    expect(await codeOf(box.decrypt(sealed.replace('.k1.', '.k7.')))).toBe('SECRET_INVALID');
    expect(await codeOf(box.decrypt(`${sealed.slice(0, -3)}AAA`))).toBe('SECRET_INVALID');
    expect(await codeOf(box.decrypt('garbage'))).toBe('SECRET_INVALID');
  });

  it('masks secrets to their last four characters', () => {
    expect(maskSecret('sk-live-1234567890abcd')).toBe('****abcd');
    expect(maskSecret('short')).toBe('****');
  });
});
