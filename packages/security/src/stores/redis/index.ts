export {
  type RedisClientLike,
  type RedisStoreOptions,
  redisStore,
  resolveRedisStoreOptions,
} from './redis-store.ts';
