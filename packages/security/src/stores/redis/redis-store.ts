import { SmarterConfigError } from '../../errors/smarter-error.ts';
import { rejectUnknownOptions } from '../../internal/guard.ts';
import type { Clock, CounterResult, Store } from '../../store/store.ts';

/**
 * The part of an ioredis client (`Redis` or `Cluster`) this store uses. Declared structurally so that importing this
 * module never loads ioredis: pass your own client.
 */
export interface RedisClientLike {
  evalsha(sha: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
  del(key: string): Promise<unknown>;
}

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /** An ioredis client (`new Redis(url)`); the store never closes it. */
  readonly client: RedisClientLike;
  /** Prefix of every key. @default 'smarter:' */
  readonly prefix?: string;
  /**
   * Clock for windows and TTLs. Expiry is kept in the value and checked against this clock inside the scripts, so an
   * injected clock works (tests advance it); Redis' own PEXPIRE only collects garbage a minute later.
   * @default Date.now
   */
  readonly now?: Clock;
}

// Each key is a hash: v (string value) or c (counter), and e (expiry epoch ms, 0 = never).
const GC_SLACK_MS = 60_000;

const INCREMENT = `
local now = tonumber(ARGV[1])
local e = tonumber(redis.call('HGET', KEYS[1], 'e') or '-1')
local c = redis.call('HGET', KEYS[1], 'c')
if c and e > now then
  return {redis.call('HINCRBY', KEYS[1], 'c', 1), e}
end
e = now + tonumber(ARGV[2])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'c', 1, 'e', e)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + ${GC_SLACK_MS})
return {1, e}`;

const LIVE = `
local function live(key, now)
  local r = redis.call('HMGET', key, 'v', 'c', 'e')
  if not r[3] then return nil end
  local e = tonumber(r[3])
  if e ~= 0 and e <= now then
    redis.call('DEL', key)
    return nil
  end
  if r[1] then return r[1] end
  return r[2]
end
local function put(key, value, now, ttl)
  redis.call('DEL', key)
  local e = 0
  if ttl ~= '' then e = now + tonumber(ttl) end
  redis.call('HSET', key, 'v', value, 'e', e)
  if e ~= 0 then redis.call('PEXPIRE', key, tonumber(ttl) + ${GC_SLACK_MS}) end
end`;

const GET = `${LIVE}
local v = live(KEYS[1], tonumber(ARGV[1]))
if v == nil then return false end
return v`;

const SET = `${LIVE}
put(KEYS[1], ARGV[1], tonumber(ARGV[2]), ARGV[3])
return 1`;

const SET_IF_ABSENT = `${LIVE}
local now = tonumber(ARGV[2])
if live(KEYS[1], now) ~= nil then return 0 end
put(KEYS[1], ARGV[1], now, ARGV[3])
return 1`;

async function sha1Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Validates {@link RedisStoreOptions}. */
export function resolveRedisStoreOptions(options: RedisStoreOptions): Required<RedisStoreOptions> {
  if (options === null || typeof options !== 'object') {
    throw new SmarterConfigError('redisStore: pass { client: new Redis(url) }.');
  }
  rejectUnknownOptions('redisStore', options, ['client', 'prefix', 'now']);
  const { client } = options;
  if (typeof client?.eval !== 'function' || typeof client.evalsha !== 'function') {
    throw new SmarterConfigError('redisStore: client must be an ioredis client (new Redis(url)).');
  }
  const prefix = options.prefix ?? 'smarter:';
  if (typeof prefix !== 'string' || /[\s{}]/.test(prefix)) {
    throw new SmarterConfigError('redisStore: prefix is a plain string without spaces or braces, like "smarter:".');
  }
  return { client, prefix, now: options.now ?? Date.now };
}

/**
 * A {@link Store} on Redis (SPEC §20): every operation is one atomic Lua script, so counters and set-if-absent hold
 * across instances. Rejects when Redis cannot answer (guards then fail closed). Configure the client to fail fast
 * (`maxRetriesPerRequest: 1`, `enableOfflineQueue: false`) so a Redis outage becomes a quick 503, not a hang.
 *
 * @example
 * import { Redis } from 'ioredis';
 * const store = redisStore({ client: new Redis(process.env.SMARTER_REDIS_URL, { maxRetriesPerRequest: 1 }) });
 */
export function redisStore(options: RedisStoreOptions): Store {
  const { client, prefix, now } = resolveRedisStoreOptions(options);
  const shas = new Map<string, Promise<string>>();
  async function run(script: string, key: string, ...args: Array<string | number>): Promise<unknown> {
    let sha = shas.get(script);
    if (sha === undefined) {
      sha = sha1Hex(script);
      shas.set(script, sha);
    }
    try {
      return await client.evalsha(await sha, 1, prefix + key, ...args);
    } catch (error) {
      if (!String((error as Error)?.message).includes('NOSCRIPT')) throw error;
      return client.eval(script, 1, prefix + key, ...args);
    }
  }
  const ttlArg = (ttlMs: number | undefined) => (ttlMs === undefined ? '' : String(Math.max(0, Math.floor(ttlMs))));
  return {
    async increment(key, windowMs): Promise<CounterResult> {
      const [count, resetAt] = (await run(INCREMENT, key, now(), Math.max(1, Math.floor(windowMs)))) as [
        number,
        number,
      ];
      return { count: Number(count), resetAt: Number(resetAt) };
    },
    async get(key) {
      const value = await run(GET, key, now());
      return value === null || value === undefined ? undefined : String(value);
    },
    async set(key, value, ttlMs) {
      await run(SET, key, value, now(), ttlArg(ttlMs));
    },
    async setIfAbsent(key, value, ttlMs) {
      return Number(await run(SET_IF_ABSENT, key, value, now(), ttlArg(ttlMs))) === 1;
    },
    async delete(key) {
      await client.del(prefix + key);
    },
  };
}
