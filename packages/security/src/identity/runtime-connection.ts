import type { Context } from 'hono';
import type { ClientScheme } from './types.ts';

/** What `@hono/node-server` puts in `c.env`: the Node request, whose socket knows the peer and whether it is TLS. */
interface NodeBindings {
  readonly incoming?: { readonly socket?: { readonly remoteAddress?: unknown; readonly encrypted?: unknown } };
}

/** What `Bun.serve({ fetch: app.fetch })` puts in `c.env`: the server, which knows each request's peer. */
interface BunBindings {
  readonly requestIP?: unknown;
}

/** What `Deno.serve(app.fetch)` puts in `c.env`: the connection info. */
interface DenoBindings {
  readonly remoteAddr?: { readonly transport?: unknown; readonly hostname?: unknown };
}

/**
 * The TCP peer address where the runtime hands it to Hono in `c.env`: `@hono/node-server` (Node), `Bun.serve` and
 * `Deno.serve` with `app.fetch` as the handler. Undefined elsewhere, on Workers included: there the peer is the
 * `CF-Connecting-IP` header, which only Cloudflare's edge sets, so trusting it is the deployment's call
 * (`peerAddress: (c) => c.req.header('cf-connecting-ip')`). This is `clientIdentity`'s default, so that forgetting
 * `peerAddress` does not put every client under one key (where one client's ban would ban them all).
 */
export function runtimePeerAddress(c: Context): string | undefined {
  const env: unknown = c.env;
  if (typeof env !== 'object' || env === null) return undefined;
  const node = (env as NodeBindings).incoming?.socket?.remoteAddress;
  if (typeof node === 'string') return node;
  const bun = (env as BunBindings).requestIP;
  if (typeof bun === 'function') {
    const address = (bun.call(env, c.req.raw) as { address?: unknown } | null | undefined)?.address;
    return typeof address === 'string' ? address : undefined;
  }
  const deno = (env as DenoBindings).remoteAddr;
  if (deno !== undefined && (deno.transport === 'tcp' || deno.transport === 'udp')) {
    return typeof deno.hostname === 'string' ? deno.hostname : undefined;
  }
  return undefined;
}

/**
 * The scheme the request arrived over. On `@hono/node-server` it is the connection's: the URL there is the request
 * line's own when that line is in absolute form, so `GET https://api.example/x` sent over plain http would otherwise
 * pass for https (no redirect, HSTS sent). Elsewhere it is the URL's, as the runtime built it from its connection.
 */
export function runtimeScheme(c: Context, url: string): ClientScheme {
  const env: unknown = c.env;
  if (typeof env === 'object' && env !== null) {
    const socket = (env as NodeBindings).incoming?.socket;
    if (typeof socket === 'object' && socket !== null) return socket.encrypted === true ? 'https' : 'http';
  }
  return url.charCodeAt(4) === 115 /* https */ ? 'https' : 'http';
}
