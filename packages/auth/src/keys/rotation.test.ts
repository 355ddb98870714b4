import { describe, expect, it } from 'vitest';
import { createApiKeyService } from '../api-keys/api-key-service.ts';
import { createSecretBox } from '../secrets/secret-box.ts';
import { seedUser, world } from '../testing-node/fixtures.ts';
import { keyFingerprintId, parseKeyRing } from './key-ring.ts';
import { createSigner } from './signer.ts';

// Keys written without `id:`, as most deployments write SMARTER_SECRET_KEYS.
const OLD = '6c0f3e9a2d8b4715e3a1c9f7b5d20e4a';
const NEW = 'e2b7d94c1a6f3085b9d2e7c4a1f60b38';

describe('rotating SMARTER_SECRET_KEYS by putting a new key first', () => {
  it('names each key by its fingerprint, not its place', () => {
    const before = parseKeyRing(OLD);
    const after = parseKeyRing(`${NEW},${OLD}`);
    expect(before.ids).toEqual([keyFingerprintId(new TextEncoder().encode(OLD))]);
    expect(after.ids).toEqual([keyFingerprintId(new TextEncoder().encode(NEW)), before.ids[0]]);
    expect(before.ids[0]).toMatch(/^k_[0-9a-f]{12}$/);
    expect(after.ids[0]).not.toBe(after.ids[1]);
  });

  it('keeps API keys issued, secrets sealed and values signed under the old first key valid', async () => {
    const w = world();
    const { user } = await seedUser(w.repos, 'owner@example.com');
    const service = (ring: string) =>
      createApiKeyService({ repositories: w.repos, store: w.store, keyRing: parseKeyRing(ring), now: w.clock.now });
    const { token } = await service(OLD).issue(user, { name: 'ci' });
    const sealed = await createSecretBox(parseKeyRing(OLD)).encrypt('provider-key');
    const signed = await createSigner(parseKeyRing(OLD), 'csrf').sign('value');

    const rotated = `${NEW},${OLD}`;
    expect(await service(rotated).verify(token)).toMatchObject({ ok: true });
    const box = createSecretBox(parseKeyRing(rotated));
    expect(await box.decrypt(sealed)).toBe('provider-key');
    expect(box.needsRotation(sealed)).toBe(true);
    expect(await createSigner(parseKeyRing(rotated), 'csrf').verify(signed)).toBe('value');
    // Once the old key leaves the ring, nothing made under it verifies.
    expect(await service(NEW).verify(token)).toMatchObject({ ok: false });
    await expect(createSecretBox(parseKeyRing(NEW)).decrypt(sealed)).rejects.toThrow();
  });

  it('keeps values made under the positional ids of before (k0) valid, also after the first rotation', async () => {
    // Before keys were named by fingerprint, an unlabelled first key was `k0`: the same as writing `k0:` now.
    const before = `k0:${OLD}`;
    const w = world();
    const { user } = await seedUser(w.repos, 'owner@example.com');
    const service = (ring: string) =>
      createApiKeyService({ repositories: w.repos, store: w.store, keyRing: parseKeyRing(ring), now: w.clock.now });
    const { token, record } = await service(before).issue(user, { name: 'ci' });
    expect(record.pepperId).toBe('k0');
    const sealed = await createSecretBox(parseKeyRing(before)).encrypt('provider-key');
    const signed = await createSigner(parseKeyRing(before), 'user-token').sign('value');
    expect(sealed).toContain('.k0.');
    expect(signed).toContain('.k0.');

    for (const ring of [OLD, `${NEW},${OLD}`, `${NEW},x:b1c2d3e4f5a6978877665544332211aa,${OLD}`]) {
      expect(await service(ring).verify(token)).toMatchObject({ ok: true });
      expect(await createSecretBox(parseKeyRing(ring)).decrypt(sealed)).toBe('provider-key');
      expect(await createSigner(parseKeyRing(ring), 'user-token').verify(signed)).toBe('value');
    }
    // Never under a key that did not make them, nor under an explicit id that happens to read `k0`.
    for (const ring of [NEW, `k0:${NEW},${OLD}`]) {
      expect(await service(ring).verify(token)).toMatchObject({ ok: false });
      await expect(createSecretBox(parseKeyRing(ring)).decrypt(sealed)).rejects.toThrow();
      expect(await createSigner(parseKeyRing(ring), 'user-token').verify(signed)).toBeUndefined();
    }
  });
});
