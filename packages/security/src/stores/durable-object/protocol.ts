// What the Worker sends its store object and what it answers: one POST per operation, the operation in the path and
// a small JSON body. Plain `stub.fetch`, not RPC: RPC needs the class to extend `DurableObject` from
// `cloudflare:workers`, a module only workerd has, and this entry must also load on Node, Bun and Deno (tests, types).

/** The operations of the store object. */
export type StoreOp = 'increment' | 'get' | 'set' | 'setIfAbsent' | 'delete';

/** A request to the store object. `now` is the caller's clock, so expiry follows the store's injectable clock. */
export interface StoreRequest {
  readonly key: string;
  readonly now: number;
  /** increment: the window; set, setIfAbsent: the TTL (absent: never expires). */
  readonly ttlMs?: number;
  /** set, setIfAbsent: the text to keep. */
  readonly value?: string;
}

/** Answers, by operation. */
export interface IncrementAnswer {
  readonly count: number;
  readonly resetAt: number;
}
export interface GetAnswer {
  readonly value: string | null;
}
export interface SetIfAbsentAnswer {
  readonly won: boolean;
}

const OPS: ReadonlySet<string> = new Set<StoreOp>(['increment', 'get', 'set', 'setIfAbsent', 'delete']);

/** The origin of every request to a store object; only the path (the operation) is read. */
export const STORE_ORIGIN = 'https://smarter-store.invalid';

/** The operation named by a request's path, or undefined. */
export function opOf(url: string): StoreOp | undefined {
  const op = new URL(url).pathname.slice(1);
  return OPS.has(op) ? (op as StoreOp) : undefined;
}

/** Validates a request body for `op`; undefined when malformed (the object then answers 400). */
export function parseStoreRequest(op: StoreOp, body: unknown): StoreRequest | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const { key, now, ttlMs, value } = body as Record<string, unknown>;
  if (typeof key !== 'string' || typeof now !== 'number' || !Number.isFinite(now)) return undefined;
  if (ttlMs !== undefined && (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs))) return undefined;
  if (op === 'increment' && ttlMs === undefined) return undefined;
  const needsValue = op === 'set' || op === 'setIfAbsent';
  if (needsValue !== (typeof value === 'string')) return undefined;
  const request: { key: string; now: number; ttlMs?: number; value?: string } = { key, now };
  if (ttlMs !== undefined) request.ttlMs = ttlMs;
  if (typeof value === 'string') request.value = value;
  return request;
}
