import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** The `prev_hash` of the first journal row. */
export const GENESIS_HASH: string = '0'.repeat(64);

/** The hashed fields of a journal row, as stored. */
export interface ChainedFields {
  readonly seq: number;
  readonly id: string;
  readonly time: string;
  readonly type: string;
  readonly severity: string;
  readonly requestId: string | null;
  readonly clientKey: string | null;
  readonly principal: string | null;
  readonly account: string | null;
  readonly agent: string | null;
  readonly method: string | null;
  readonly path: string | null;
  readonly status: number | null;
  readonly reason: string | null;
  readonly details: string | null;
}

const encoder = new TextEncoder();

/** The canonical text of a row: a JSON array in a fixed field order, so the hash never depends on key order. */
export function canonicalRow(row: ChainedFields): string {
  return JSON.stringify([
    row.seq,
    row.id,
    row.time,
    row.type,
    row.severity,
    row.requestId,
    row.clientKey,
    row.principal,
    row.account,
    row.agent,
    row.method,
    row.path,
    row.status,
    row.reason,
    row.details,
  ]);
}

/**
 * Secret keys the chain's links are made with (HMAC-SHA-256), by id, so that a row cannot be rewritten, nor the
 * chain re-hashed after it, by whoever can write to the database but does not hold the app's secret keys.
 */
export interface JournalChainKeys {
  /** The id of the key new links are made with (letters, digits, `_`, `-`; the reference server uses a fingerprint). */
  readonly currentId: string;
  /** HMAC-SHA-256 of `message` under key `id`; undefined when there is no such key (any more). */
  mac(id: string, message: Uint8Array): Uint8Array | undefined;
}

const KEYED = 'h1:';

/**
 * The link of the chain: the hash of the previous row's hash and this row's canonical text. With `keys`, an
 * HMAC-SHA-256 under the current key, written `h1:<key id>:<hex>` (the key id lets rotated keys still verify);
 * without, a plain SHA-256 (hex), which anyone could recompute. Synchronous (`@noble/hashes` and synchronous MACs):
 * each link depends on the one before, and WebCrypto's async digest made a 100-row batch wait on 100 thread-pool
 * round trips.
 */
export function linkHash(prevHash: string, row: ChainedFields, keys?: JournalChainKeys): string {
  const message = encoder.encode(`${prevHash}\n${canonicalRow(row)}`);
  if (keys === undefined) return bytesToHex(sha256(message));
  const mac = keys.mac(keys.currentId, message);
  if (mac === undefined) throw new TypeError('journal chain: the current key is missing');
  return `${KEYED}${keys.currentId}:${bytesToHex(mac)}`;
}

/** Why a stored link does not hold (see {@link checkLink}). */
export type LinkFailure = 'HASH_MISMATCH' | 'UNKNOWN_KEY';

/** Whether a stored link is keyed (an HMAC, `h1:…`) rather than a plain SHA-256. */
export function isKeyedLink(hash: string): boolean {
  return hash.startsWith(KEYED);
}

/**
 * Checks a stored link. A plain SHA-256 link is recomputed; whether one may stand where keys are in use is the
 * chain's call (see `verify`). A keyed link holds under the key its id names (`UNKNOWN_KEY` when there is none, or no
 * keys at all).
 */
export function checkLink(
  prevHash: string,
  row: ChainedFields,
  hash: string,
  keys?: JournalChainKeys,
): LinkFailure | undefined {
  const message = encoder.encode(`${prevHash}\n${canonicalRow(row)}`);
  if (!hash.startsWith(KEYED)) return bytesToHex(sha256(message)) === hash ? undefined : 'HASH_MISMATCH';
  const end = hash.lastIndexOf(':');
  const id = hash.slice(KEYED.length, end);
  const mac = keys?.mac(id, message);
  if (mac === undefined) return 'UNKNOWN_KEY';
  // A plain comparison: verification reads stored rows, it never answers a caller's guess, so there is no timing
  // oracle to close.
  return bytesToHex(mac) === hash.slice(end + 1) ? undefined : 'HASH_MISMATCH';
}
