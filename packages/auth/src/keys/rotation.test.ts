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

  it('still finds values made under the positional ids of before (k0, k1) while the key keeps its place', async () => {
    const ring = parseKeyRing(`${OLD},${NEW}`);
    expect(ring.keys.get('k0')).toEqual(new TextEncoder().encode(OLD));
    expect(ring.keys.get('k1')).toEqual(new TextEncoder().encode(NEW));
    // A signature carrying the old positional id, made with the same material, verifies.
    const legacy = parseKeyRing(`k0:${OLD}`);
    const signed = await createSigner(legacy, 'csrf').sign('value');
    expect(signed).toContain('.k0.');
    expect(await createSigner(ring, 'csrf').verify(signed)).toBe('value');
    // An explicit id wins over a position.
    const labelled = parseKeyRing(`k0:${NEW},${OLD}`);
    expect(labelled.keys.get('k0')).toEqual(new TextEncoder().encode(NEW));
  });
});
