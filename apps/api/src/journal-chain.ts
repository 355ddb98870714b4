import { type KeyRing, syncMacKeys } from '@smarter/auth';
import type { JournalChainKeys } from '@smarter/data';
import { toHex } from './internal/hex.ts';

/** The HKDF purpose of the journal chain's keys (each purpose gets its own key from every ring key). */
const PURPOSE = 'smarter/journal-chain';
const FINGERPRINT = new TextEncoder().encode('smarter/journal-chain/fingerprint');

/**
 * The journal chain's keys from the app's key ring: links are HMACs under a key derived for this purpose from the
 * ring's first key, and links made under an older ring key still verify while that key stays in the ring. A link
 * names its key by a fingerprint of the derived key (12 hex digits, an HMAC of a constant), not by the ring's id:
 * an operator's `id:` label can be given to other material later, and rows made before keys were named by
 * fingerprint carry positional ids.
 *
 * @example
 * const sink = databaseJournalSink(db, { chainKeys: journalChainKeys(keyRing) });
 */
export function journalChainKeys(ring: KeyRing): JournalChainKeys {
  const macs = syncMacKeys(ring, PURPOSE);
  const byFingerprint = new Map<string, string>();
  let currentId = '';
  for (const id of ring.ids) {
    const mac = macs.get(id);
    if (mac === undefined) continue;
    const fingerprint = toHex(mac(FINGERPRINT)).slice(0, 12);
    if (!byFingerprint.has(fingerprint)) byFingerprint.set(fingerprint, id);
    if (id === macs.currentId) currentId = fingerprint;
  }
  return {
    currentId,
    mac: (fingerprint, message) => {
      const id = byFingerprint.get(fingerprint);
      return id === undefined ? undefined : macs.get(id)?.(message);
    },
  };
}
