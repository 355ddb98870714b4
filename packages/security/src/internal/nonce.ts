/**
 * A fresh CSP nonce: 122 random bits from the runtime's CSPRNG (`randomUUID` draws from a pooled CSPRNG, which is
 * about 40× cheaper on Node than a `getRandomValues` call per request). Hex, so it is a valid CSP base64-value.
 */
export function newNonce(): string {
  return crypto.randomUUID().replaceAll('-', '');
}
