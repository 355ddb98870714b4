import { deriveKey } from '@smarter/auth';
import { migrate, sqlStore } from '@smarter/data';
import { type D1Like, fromD1 } from '@smarter/data/d1';
import { type DurableObjectNamespaceLike, durableObjectStore } from '@smarter/security/stores/durable-object';
import type { Hono } from 'hono';
import { type AppConfig, loadConfig } from '../app.ts';
import { appKeyRing } from '../config/secret-keys.ts';
import { noSmtpClient } from '../email/smtp.ts';
import { startApp } from './start.ts';

// workerd finds a Durable Object class among the main module's exports; unbound, it costs nothing.
export { SmarterStoreObject } from '@smarter/security/stores/durable-object';

interface Env {
  readonly DB: D1Like;
  /** A namespace of `SmarterStoreObject` (wrangler.jsonc); when bound, counters and bans live there, not in D1. */
  readonly SMARTER_STORE_DO?: DurableObjectNamespaceLike;
  readonly [name: string]: unknown;
}

/**
 * The Durable Object store's shard key, an HMAC key for this use only: derived from `SMARTER_STORE_SHARD_KEY` when it
 * is set (shards then survive a rotation of the secret keys), else from the signing key of the ring. Whichever it is,
 * a new value moves every client to other objects once (counters restart, bans lift): setting the shard key the first
 * time does too. None with a key made up for this isolate (development): isolates would disagree on where a key lives.
 */
async function shardKeyOf(config: AppConfig): Promise<CryptoKey | undefined> {
  const hmac = { name: 'HMAC', hash: 'SHA-256' } as const;
  if (config.storeShardKey) {
    const material = new TextEncoder().encode(config.storeShardKey.reveal());
    return deriveKey(material, 'durable-object-store/shards', hmac, ['sign']);
  }
  if (config.secretKeysGenerated) return undefined;
  const ring = appKeyRing(config);
  const material = ring.keys.get(ring.ids[0] as string) as Uint8Array;
  return deriveKey(material, 'durable-object-store/shards', hmac, ['sign']);
}

let ready: Promise<Hono> | undefined;
// Journal writes still running when a response is ready: handed to the request's waitUntil so they finish.
const pendingWork: Promise<unknown>[] = [];

// Built once per isolate: bindings are only known at the first request.
function appFor(env: Env): Promise<Hono> {
  ready ??= (async (): Promise<Hono> => {
    const strings = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === 'string')) as Record<
      string,
      string
    >;
    const config = loadConfig(strings);
    // Workers have no sockets for SMTP: refused before the database is touched (pass an HTTP email API instead).
    if (config.email === 'smtp') throw noSmtpClient();
    const db = fromD1(env.DB);
    await migrate(db);
    // Workers have no socket: the platform's CF-Connecting-IP is the peer (set by Cloudflare, not the client).
    // Isolates share nothing in memory: counters and revocation epochs live in D1, or in Durable Objects when the
    // SMARTER_STORE_DO binding exists (see wrangler.jsonc); passwords use PBKDF2 (the default).
    // The objects' shards are chosen by a keyed hash (from SMARTER_STORE_SHARD_KEY, else the signing key): a client
    // cannot aim its addresses at one object to saturate it. Without SMARTER_STORE_SHARD_KEY, putting a new signing
    // key first moves the keys to other objects (counters and bans restart).
    // Derived before the app is: a failure here fails this start (and the next request tries again), not every
    // store operation of the isolate's life.
    const shardKey = env.SMARTER_STORE_DO ? await shardKeyOf(config) : undefined;
    const store = env.SMARTER_STORE_DO
      ? durableObjectStore({ namespace: env.SMARTER_STORE_DO, ...(shardKey ? { shardKey } : {}) })
      : sqlStore(db, { prefix: 'smarter:' });
    const { app } = await startApp({
      config,
      db,
      store,
      peerAddress: (c) => c.req.header('cf-connecting-ip'),
      waitUntil: (promise) => pendingWork.push(promise),
      // An isolate's timers do not outlive its requests: the Cron Trigger below purges the D1 store instead.
      housekeeping: false,
    });
    return app;
  })().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  return ready;
}

export default {
  /**
   * The Cron Trigger of `wrangler.jsonc` (every 10 minutes): deletes the D1 store's expired rows, which would
   * otherwise stay (every client address adds counters).
   */
  async scheduled(_controller: unknown, env: Env, ctx: { waitUntil(promise: Promise<unknown>): void }): Promise<void> {
    await appFor(env); // the database is migrated on first use (and config.loaded journaled, in a new isolate)
    ctx.waitUntil(
      Promise.allSettled([...pendingWork.splice(0), sqlStore(fromD1(env.DB), { prefix: 'smarter:' }).purgeExpired()]),
    );
  },

  async fetch(request: Request, env: Env, ctx: unknown): Promise<Response> {
    const app = await appFor(env);
    const response = await app.fetch(request, env, ctx as never);
    const waitUntil = (ctx as { waitUntil?: (p: Promise<unknown>) => void } | undefined)?.waitUntil?.bind(ctx);
    if (pendingWork.length > 0) {
      const work = Promise.allSettled(pendingWork.splice(0));
      if (waitUntil) waitUntil(work);
    }
    return response;
  },
};
