import { type KeyRing, syncMacKeys } from '@smarter/auth';
import type { JournalChainKeys } from '@smarter/data';

/** The HKDF purpose of the journal chain's keys (each purpose gets its own key from every ring key). */
const PURPOSE = 'smarter/journal-chain';

/**
 * The journal chain's keys from the app's key ring: links are HMACs under a key derived for this purpose from the
 * ring's first key, and links made under an older ring key still verify while that key stays in the ring.
 *
 * @example
 * const sink = databaseJournalSink(db, { chainKeys: journalChainKeys(keyRing) });
 */
export function journalChainKeys(ring: KeyRing): JournalChainKeys {
  const macs = syncMacKeys(ring, PURPOSE);
  return {
    currentId: macs.currentId,
    mac: (id, message) => macs.get(id)?.(message),
  };
}
