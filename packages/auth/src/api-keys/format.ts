import { randomBytes } from '../internal/bytes.ts';

/** Fixed prefix of every Smarter API key, so secret scanners can find leaked keys (SPEC §12). */
export const API_KEY_PREFIX = 'smk_';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_LENGTH = 16; // 80 random bits
const SECRET_LENGTH = 43; // 256 random bits in base62
const CHECKSUM_LENGTH = 6; // CRC-32 in base62
const FORMAT = new RegExp(
  `^${API_KEY_PREFIX}([a-z2-7]{${ID_LENGTH}})_([0-9A-Za-z]{${SECRET_LENGTH}})([0-9A-Za-z]{${CHECKSUM_LENGTH}})$`,
);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE) of the first `end` characters of an ASCII string. */
function crc32(text: string, end: number): number {
  let crc = 0xffffffff;
  for (let i = 0; i < end; i++) crc = (CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function base62(value: bigint, width: number): string {
  let out = '';
  let v = value;
  while (v > 0n) {
    out = BASE62[Number(v % 62n)] + out;
    v /= 62n;
  }
  return out.padStart(width, '0');
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/**
 * The CRC-32 of the first `end` characters in base62: the same digits as {@link base62} gives, with Number arithmetic
 * (BigInt took 0.4 µs a key).
 */
function checksum(text: string, end: number = text.length): string {
  let v = crc32(text, end);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out;
}

/** The parts of a well-formed key. */
export interface ParsedApiKey {
  /** Public key id (stored in clear, shown in listings). */
  readonly id: string;
  /** The 256-bit secret (never stored). */
  readonly secret: string;
}

/**
 * Generates a new key: `smk_<16-char id>_<43-char secret><6-char CRC-32 checksum>`.
 *
 * @example
 * const { token, id } = generateApiKey(); // smk_ab3k…_Xf9…
 */
export function generateApiKey(): ParsedApiKey & { readonly token: string } {
  const idBytes = randomBytes(ID_LENGTH);
  let id = '';
  for (const b of idBytes) id += BASE32[b & 31];
  const secret = base62(bytesToBigInt(randomBytes(32)), SECRET_LENGTH);
  return { id, secret, token: formatApiKey(id, secret) };
}

/** Assembles a token from its id and secret, adding the checksum. */
export function formatApiKey(id: string, secret: string): string {
  const body = `${API_KEY_PREFIX}${id}_${secret}`;
  return body + checksum(body);
}

/**
 * Parses a presented key; undefined when the shape or the checksum is wrong (a typo or a random string is
 * refused without any storage lookup).
 */
export function parseApiKey(token: string): ParsedApiKey | undefined {
  const match = FORMAT.exec(token);
  if (!match) return undefined;
  const [, id = '', secret = '', sum = ''] = match;
  // The checksum covers everything before it: prefix, id, underscore and secret, read in place.
  if (checksum(token, token.length - CHECKSUM_LENGTH) !== sum) return undefined;
  return { id, secret };
}

/** The masked form used in logs and listings: `****abcd` (last four characters of the token). */
export function maskApiKey(lastFour: string): string {
  return `****${lastFour}`;
}
