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
 * SHA-256 (hex) of the previous row's hash and this row's canonical text: the link of the chain. Synchronous
 * (`@noble/hashes`): each link depends on the one before, and WebCrypto's async digest made a 100-row batch wait
 * on 100 thread-pool round trips.
 */
export function linkHash(prevHash: string, row: ChainedFields): string {
  return bytesToHex(sha256(encoder.encode(`${prevHash}\n${canonicalRow(row)}`)));
}
