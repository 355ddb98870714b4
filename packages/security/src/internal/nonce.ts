/** Random bytes drawn from the runtime's CSPRNG in one call per 256 nonces; each byte is handed out once. */
const POOL = new Uint8Array(16 * 256);
let offset = POOL.length;

/** Two lower-case hex digits per byte value. */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A fresh CSP nonce: 128 bits from the runtime's CSPRNG (`crypto.getRandomValues`), as 32 hex digits (valid CSP
 * base64-value characters). The bytes come from a pool refilled in one call per 256 nonces, as Node's own
 * `randomUUID` does, which costs less than a call per request; no byte is ever used twice.
 */
export function newNonce(): string {
  if (offset === POOL.length) {
    crypto.getRandomValues(POOL);
    offset = 0;
  }
  const p = POOL;
  const o = offset;
  offset = o + 16;
  return (
    (HEX[p[o] as number] as string) +
    HEX[p[o + 1] as number] +
    HEX[p[o + 2] as number] +
    HEX[p[o + 3] as number] +
    HEX[p[o + 4] as number] +
    HEX[p[o + 5] as number] +
    HEX[p[o + 6] as number] +
    HEX[p[o + 7] as number] +
    HEX[p[o + 8] as number] +
    HEX[p[o + 9] as number] +
    HEX[p[o + 10] as number] +
    HEX[p[o + 11] as number] +
    HEX[p[o + 12] as number] +
    HEX[p[o + 13] as number] +
    HEX[p[o + 14] as number] +
    HEX[p[o + 15] as number]
  );
}
