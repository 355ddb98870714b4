export {
  DurableObjectStoreError,
  type DurableObjectStoreOptions,
  durableObjectStore,
  type ResolvedDurableObjectStoreOptions,
  resolveDurableObjectStoreOptions,
} from './durable-object-store.ts';
export { keyedShardOf, MAX_SHARDS, type ShardKey, shardOf } from './shard.ts';
export { GC_DELAY_MS, SmarterStoreObject, SWEEP_BATCH, SWEEP_EVERY_MS } from './store-object.ts';
export type {
  DurableObjectNamespaceLike,
  DurableObjectStateLike,
  DurableObjectStorageLike,
  DurableObjectStubLike,
  SqlCursorLike,
  SqlStorageLike,
} from './workers-types.ts';
