import { describe, expect, it } from 'vitest';
import { utf8 } from '../internal/bytes.ts';
import { deriveKey } from './derive.ts';
import { parseKeyRing } from './key-ring.ts';
import { syncMacKeys } from './sync-hmac.ts';

const ring = parseKeyRing('new:a3f9c2e71b8d4605f2a9c3e8d7b61f04, old:40f16b7d8e3c9a2f5064d8b17e2c9f3a');
const HMAC = { name: 'HMAC', hash: 'SHA-256' } as const;

describe('syncMacKeys', () => {
  it('gives the same MAC as the WebCrypto key of the same purpose, for every ring key (stored hashes stay valid)', async () => {
    const keys = syncMacKeys(ring, 'api-key:pepper');
    for (const id of ring.ids) {
      const material = ring.keys.get(id) as Uint8Array;
      const webKey = await deriveKey(material, 'api-key:pepper', HMAC, ['sign']);
      for (const message of ['', 'secret', 'x'.repeat(200)]) {
        const expected = new Uint8Array(await crypto.subtle.sign('HMAC', webKey, utf8(message)));
        expect(keys.get(id)?.(utf8(message))).toEqual(expected);
      }
    }
  });

  it('binds the purpose and the key id: other purposes and other ids give other MACs', () => {
    const message = utf8('secret');
    const a = syncMacKeys(ring, 'api-key:pepper');
    const b = syncMacKeys(ring, 'signer:csrf');
    expect(a.get('new')?.(message)).not.toEqual(b.get('new')?.(message));
    expect(a.get('new')?.(message)).not.toEqual(a.get('old')?.(message));
  });

  it('signs with the first key and knows no unknown id', () => {
    const keys = syncMacKeys(ring, 'api-key:pepper');
    expect(keys.currentId).toBe('new');
    expect(keys.get('missing')).toBeUndefined();
  });

  it('gives the same MAC on repeated use (the keyed state is cloned, never consumed)', () => {
    const mac = syncMacKeys(ring, 'p').get('new');
    expect(mac?.(utf8('a'))).toEqual(mac?.(utf8('a')));
  });
});
