import { migrate } from '@smarter/data';
import { type D1Like, fromD1 } from '@smarter/data/d1';
import type { Hono } from 'hono';
import { createApp, loadConfig } from '../app.ts';

interface Env {
  readonly DB: D1Like;
  readonly [name: string]: unknown;
}

let ready: Promise<Hono> | undefined;

// Built once per isolate: bindings are only known at the first request.
function appFor(env: Env): Promise<Hono> {
  ready ??= (async () => {
    const strings = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === 'string')) as Record<
      string,
      string
    >;
    const config = loadConfig(strings);
    const db = fromD1(env.DB);
    await migrate(db);
    // Workers have no socket: the platform's CF-Connecting-IP is the peer (set by Cloudflare, not the client).
    return createApp({ config, db, peerAddress: (c) => c.req.header('cf-connecting-ip') });
  })().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  return ready;
}

export default {
  async fetch(request: Request, env: Env, ctx: unknown): Promise<Response> {
    const app = await appFor(env);
    return app.fetch(request, env, ctx as never);
  },
};
