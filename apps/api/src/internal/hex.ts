/**
 * Lower-case hex of some bytes: digests, random keys, fingerprints.
 *
 * @example
 * toHex(crypto.getRandomValues(new Uint8Array(16))); // '3f9a…' (32 characters)
 */
export function toHex(bytes: Uint8Array | ArrayBuffer): string {
  return Array.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
}
