import { SmarterConfigError, SmarterError } from '../../errors/smarter-error.ts';
import { rejectUnknownOptions } from '../../internal/guard.ts';
import type { Clock, CounterResult, Store } from '../../store/store.ts';
import {
  type GetAnswer,
  type IncrementAnswer,
  type SetIfAbsentAnswer,
  STORE_ORIGIN,
  type StoreOp,
  type StoreRequest,
} from './protocol.ts';
import { keyedShardOf, MAX_SHARDS, type ShardKey, shardOf } from './shard.ts';
import type { DurableObjectNamespaceLike } from './workers-types.ts';

/** Options of {@link durableObjectStore}. */
export interface DurableObjectStoreOptions {
  /** The Durable Object namespace binding of a {@link SmarterStoreObject} class (`env.SMARTER_STORE_DO`). */
  readonly namespace: DurableObjectNamespaceLike;
  /**
   * How many objects share the keys. One object runs one operation at a time (about a thousand a second), so one
   * object for every client would serialise them all; keys spread over `shards` objects by a stable hash, and each
   * key lives in exactly one (its counter stays atomic). More shards: more throughput, but more objects to keep
   * warm and a hot key is no faster (its object is still one). Changing it moves about 1/N of the keys per added
   * shard to an object that has never seen them: their counters restart and their bans lift.
   * @default 16
   */
  readonly shards?: number;
  /** Objects are named `${name}:${shard}`; a different name is a separate, empty store. @default 'smarter-store' */
  readonly name?: string;
  /**
   * How long an operation may take before it rejects (guards then fail closed). A timed-out write may still land.
   * @default 2000
   */
  readonly timeoutMs?: number;
  /** Clock for windows and TTLs, sent with each operation, so an injected clock works. @default Date.now */
  readonly now?: Clock;
  /**
   * A secret that keys the choice of shard (HMAC-SHA-256 of the key), so that clients cannot pick addresses that all
   * land on one object and saturate it; without it the choice is a public hash. Give every instance the same one
   * (derive it from your key ring). Setting or changing it moves almost every key to another object: their counters
   * restart and their bans lift. Text or bytes of at least 16, or an HMAC-SHA-256 `CryptoKey` that may sign.
   * @default none (unkeyed)
   */
  readonly shardKey?: ShardKey;
}

/** {@link DurableObjectStoreOptions} after validation. */
export interface ResolvedDurableObjectStoreOptions {
  readonly namespace: DurableObjectNamespaceLike;
  readonly shards: number;
  readonly name: string;
  readonly timeoutMs: number;
  readonly now: Clock;
  readonly shardKey: ShardKey | undefined;
}

/**
 * Why a Durable Object store operation rejected: the object threw (or does not exist, or has no SQLite storage), did
 * not answer in time, or answered something else than a store answer. Guards treat it as any store failure.
 */
export class DurableObjectStoreError extends SmarterError {
  /** The operation that failed. */
  readonly op: StoreOp;
  /** The shard it was sent to (-1 when the keyed choice of shard itself failed). */
  readonly shard: number;

  constructor(op: StoreOp, shard: number, cause: unknown) {
    super('STORE_UNAVAILABLE', 'Store unavailable', { status: 503, cause });
    this.name = 'DurableObjectStoreError';
    this.op = op;
    this.shard = shard;
  }
}

const KNOWN = ['namespace', 'shards', 'name', 'timeoutMs', 'now', 'shardKey'];

/** Validates {@link DurableObjectStoreOptions}. */
export function resolveDurableObjectStoreOptions(
  options: DurableObjectStoreOptions,
): ResolvedDurableObjectStoreOptions {
  const store = 'durableObjectStore';
  if (options === null || typeof options !== 'object') {
    throw new SmarterConfigError(`${store}: pass { namespace: env.SMARTER_STORE_DO }.`);
  }
  rejectUnknownOptions(store, options, KNOWN);
  const { namespace } = options;
  if (typeof namespace?.idFromName !== 'function' || typeof namespace.get !== 'function') {
    throw new SmarterConfigError(
      `${store}: namespace must be a Durable Object namespace binding (env.SMARTER_STORE_DO), declared in wrangler.jsonc.`,
    );
  }
  const shards = options.shards ?? 16;
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_SHARDS) {
    throw new SmarterConfigError(`${store}: shards must be an integer from 1 to ${MAX_SHARDS} (default 16).`);
  }
  const name = options.name ?? 'smarter-store';
  if (typeof name !== 'string' || !/^[\w.-]{1,64}$/.test(name)) {
    throw new SmarterConfigError(`${store}: name is a short token like "smarter-store" (letters, digits, . - _).`);
  }
  const timeoutMs = options.timeoutMs ?? 2000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 60_000) {
    throw new SmarterConfigError(`${store}: timeoutMs must be an integer from 1 to 60,000 (default 2000).`);
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw new SmarterConfigError(`${store}: now must be a function returning epoch milliseconds.`);
  }
  const { shardKey } = options;
  if (shardKey !== undefined && !isShardKey(shardKey)) {
    throw new SmarterConfigError(
      `${store}: shardKey is a secret of at least 16 characters or bytes, or an HMAC-SHA-256 CryptoKey that may sign.`,
    );
  }
  return { namespace, shards, name, timeoutMs, now: options.now ?? Date.now, shardKey };
}

/** A secret of 16 or more, a promise (of a key), or an HMAC `CryptoKey` that may sign. */
function isShardKey(value: unknown): boolean {
  if (typeof value === 'string' || value instanceof Uint8Array) return value.length >= 16;
  if (typeof value !== 'object' || value === null) return false;
  if (typeof (value as PromiseLike<unknown>).then === 'function') return true;
  const key = value as Partial<CryptoKey>;
  return key.algorithm?.name === 'HMAC' && Array.isArray(key.usages) && key.usages.includes('sign');
}

/** Rejects with a timeout error unless `work` settles within `ms`. */
function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A {@link Store} on Cloudflare Durable Objects (SPEC §20), for Workers: each key lives in one of `shards`
 * {@link SmarterStoreObject}s, chosen by a stable hash of the key, and every operation is one atomic SQL statement
 * in that object. Expiry follows this store's clock (`now`, sent with each operation). Rejects with a
 * {@link DurableObjectStoreError} when the object throws, is missing or misconfigured, or takes longer than
 * `timeoutMs`, so guards fail closed.
 *
 * It makes no retries of its own. The Workers runtime already retries a call that fails `.retryable` before reaching
 * the object, or when it cannot tell whether it did, with the same request identity, so an operation never runs
 * twice. A retry here could: `increment` and `setIfAbsent` are not idempotent (a counted request counted twice, a
 * won slot answered as lost). And an `.overloaded` object must not be retried at all (Cloudflare's guidance).
 *
 * @example
 * // wrangler.jsonc: durable_objects.bindings [{ name: 'SMARTER_STORE_DO', class_name: 'SmarterStoreObject' }],
 * // migrations [{ tag: 'v1', new_sqlite_classes: ['SmarterStoreObject'] }]
 * export { SmarterStoreObject } from '@smarter/security/stores/durable-object';
 * const store = durableObjectStore({ namespace: env.SMARTER_STORE_DO });
 */
export function durableObjectStore(options: DurableObjectStoreOptions): Store {
  const { namespace, shards, name, timeoutMs, now, shardKey } = resolveDurableObjectStoreOptions(options);
  const keyedShard = shardKey === undefined ? undefined : keyedShardOf(shardKey, shards);
  // Ids are plain values and are kept. Stubs are not: workerd binds a stub to the request that made it, and a store
  // outlives requests (an app is built once per isolate), so each call makes its own (no I/O, cheap).
  const ids: unknown[] = [];

  async function call<T>(op: StoreOp, request: StoreRequest, valid: (answer: unknown) => boolean): Promise<T> {
    let shard = keyedShard ? -1 : shardOf(request.key, shards);
    try {
      return await within(
        (async () => {
          // The keyed choice is inside the time limit too: a key that never arrives fails closed like a slow object.
          if (keyedShard) shard = await keyedShard(request.key);
          let id = ids[shard];
          if (id === undefined) {
            id = namespace.idFromName(`${name}:${shard}`);
            ids[shard] = id;
          }
          const stub = namespace.get(id as never);
          const response = await stub.fetch(`${STORE_ORIGIN}/${op}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(request),
          });
          if (!response.ok) {
            await response.body?.cancel();
            throw new Error(`the store object answered ${response.status}`);
          }
          const answer: unknown = await response.json();
          if (!valid(answer)) throw new Error('the store object answered something else than a store answer');
          return answer as T;
        })(),
        timeoutMs,
      );
    } catch (error) {
      throw new DurableObjectStoreError(op, shard, error);
    }
  }

  const ttl = (ttlMs: number | undefined): { ttlMs?: number } => (ttlMs === undefined ? {} : { ttlMs });
  const isObject = (a: unknown): a is Record<string, unknown> => typeof a === 'object' && a !== null;
  const anyAnswer = isObject;
  return {
    async increment(key, windowMs): Promise<CounterResult> {
      const { count, resetAt } = await call<IncrementAnswer>(
        'increment',
        { key, now: now(), ttlMs: windowMs },
        (a) => isObject(a) && Number.isInteger(a['count']) && typeof a['resetAt'] === 'number',
      );
      return { count, resetAt };
    },
    async get(key) {
      const { value } = await call<GetAnswer>(
        'get',
        { key, now: now() },
        (a) => isObject(a) && (a['value'] === null || typeof a['value'] === 'string'),
      );
      return value ?? undefined;
    },
    async set(key, value, ttlMs) {
      await call('set', { key, now: now(), value, ...ttl(ttlMs) }, anyAnswer);
    },
    async setIfAbsent(key, value, ttlMs) {
      const { won } = await call<SetIfAbsentAnswer>(
        'setIfAbsent',
        { key, now: now(), value, ...ttl(ttlMs) },
        (a) => isObject(a) && typeof a['won'] === 'boolean',
      );
      return won;
    },
    async delete(key) {
      await call('delete', { key, now: now() }, anyAnswer);
    },
  };
}
