/** Random bytes drawn from the runtime's CSPRNG in one call per 256 nonces; each byte is handed out once. */
const POOL = new Uint8Array(16 * 256);
let offset = POOL.length;

/** The two lower-case hex digit codes of every byte value, at `2 * byte` and `2 * byte + 1`. */
const HEX_CODES = new Uint16Array(512);
for (let byte = 0; byte < 256; byte++) {
  const hex = byte.toString(16).padStart(2, '0');
  HEX_CODES[2 * byte] = hex.charCodeAt(0);
  HEX_CODES[2 * byte + 1] = hex.charCodeAt(1);
}

/** The character codes of the nonce being built (reused: building one never waits). */
const codes: number[] = new Array(32).fill(0);

/**
 * A fresh CSP nonce: 128 bits from the runtime's CSPRNG (`crypto.getRandomValues`), as 32 hex digits (valid CSP
 * base64-value characters). The bytes come from a pool refilled in one call per 256 nonces, as Node's own
 * `randomUUID` does, which costs less than a call per request; no byte is ever used twice. The string is made in one
 * step from its character codes: one flat string, where joining 16 pairs of digits left 15 intermediate strings per
 * request for the collector.
 */
export function newNonce(): string {
  if (offset === POOL.length) {
    crypto.getRandomValues(POOL);
    offset = 0;
  }
  const o = offset;
  offset = o + 16;
  for (let i = 0; i < 16; i++) {
    const byte = POOL[o + i] as number;
    codes[2 * i] = HEX_CODES[2 * byte] as number;
    codes[2 * i + 1] = HEX_CODES[2 * byte + 1] as number;
  }
  return String.fromCharCode.apply(null, codes);
}
