import { describe, expect, it } from 'vitest';
import { RING_SOURCE } from '../testing-node/fixtures.ts';
import { parseKeyRing } from './key-ring.ts';
import { createSigner } from './signer.ts';

const ring = parseKeyRing(RING_SOURCE);

describe('createSigner', () => {
  it('signs with the first key and verifies', async () => {
    const signer = createSigner(ring, 'test');
    const signed = await signer.sign('hello.world');
    expect(signed.startsWith('hello.world.k2.')).toBe(true);
    expect(await signer.verify(signed)).toBe('hello.world');
  });

  it('verifies values signed by an older ring key after rotation', async () => {
    const old = createSigner(parseKeyRing(RING_SOURCE.split(',')[1]?.trim()), 'test');
    const signed = await old.sign('v');
    expect(signed).toContain('.k1.');
    expect(await createSigner(ring, 'test').verify(signed)).toBe('v');
  });

  it('refuses tampered values, unknown key ids and other purposes', async () => {
    const signer = createSigner(ring, 'test');
    const signed = await signer.sign('value');
    expect(await signer.verify(signed.replace('value', 'valuf'))).toBeUndefined();
    expect(await signer.verify(signed.replace('.k2.', '.k9.'))).toBeUndefined();
    expect(await signer.verify(`${signed.slice(0, -2)}AA`)).toBeUndefined();
    expect(await createSigner(ring, 'other').verify(signed)).toBeUndefined();
    expect(await signer.verify('no-dots')).toBeUndefined();
  });
});
