/**
 * A fresh CSP nonce: a v4 UUID, 122 random bits from the runtime's CSPRNG (`randomUUID` draws from a pooled
 * CSPRNG, far cheaper on Node than a `getRandomValues` call per request). Hex and `-` are valid CSP base64-value
 * characters, so it is used as is.
 */
export function newNonce(): string {
  return crypto.randomUUID();
}
