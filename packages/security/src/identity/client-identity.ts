import type { Context, MiddlewareHandler } from 'hono';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { type Phase, phaseMiddleware } from '../internal/phase.ts';
import { existingRequestState, requestState } from '../internal/request-state.ts';
import { canonicalIp, compileIpMatcher } from './ip.ts';
import { PROXY_PRESETS } from './presets.ts';
import { type ForwardingHeader, type ProxyTrust, resolveClient } from './resolve.ts';
import { runtimePeerAddress, runtimeScheme } from './runtime-connection.ts';
import type { ClientIdentity, ClientScheme, IdentityVariables, PeerAddress } from './types.ts';

/** Options of {@link clientIdentity}. */
export interface ClientIdentityOptions {
  /**
   * Which peers may speak for the client: CIDRs and preset names (`loopback`, `private`, `aws-alb`, `gcp-lb`,
   * `cloudflare`), or a hop count (the number of proxies in front of the app, each appending to the chain).
   * @default [] (no proxy is trusted; the client is the peer)
   */
  readonly trustedProxies?: readonly string[] | number;
  /**
   * The forwarding header your proxies set. Only one is read, so a client cannot forge the other.
   * @default 'x-forwarded-for' (with `X-Forwarded-Proto` and `X-Forwarded-Host`)
   */
  readonly forwardingHeader?: ForwardingHeader;
  /**
   * The TCP peer address, injected by the runtime entry (Node: `getConnInfo(c).remote.address`; Bun:
   * `server.requestIP`; Deno: `info.remoteAddr.hostname`; Workers: the platform's `CF-Connecting-IP`).
   * @default runtimePeerAddress (what `@hono/node-server`, `Bun.serve` and `Deno.serve` put in `c.env`; elsewhere,
   * Workers included, none: the client is `'unknown'`, one shared key, and every guard still applies)
   */
  readonly peerAddress?: PeerAddress;
}

/** {@link ClientIdentityOptions} after validation. */
export interface ResolvedClientIdentityOptions {
  readonly trust: ProxyTrust;
  readonly forwardingHeader: ForwardingHeader;
  readonly peerAddress: PeerAddress;
}

const KNOWN_OPTIONS = new Set(['trustedProxies', 'forwardingHeader', 'peerAddress']);

/** Validates {@link ClientIdentityOptions}; throws {@link SmarterConfigError} saying what to write instead. */
export function resolveClientIdentityOptions(options: ClientIdentityOptions = {}): ResolvedClientIdentityOptions {
  for (const name of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(name)) {
      throw new SmarterConfigError(
        `clientIdentity: unknown option "${name}". Use one of: ${[...KNOWN_OPTIONS].join(', ')}.`,
      );
    }
  }
  const header = options.forwardingHeader ?? 'x-forwarded-for';
  if (header !== 'x-forwarded-for' && header !== 'forwarded') {
    throw new SmarterConfigError(`clientIdentity: forwardingHeader must be 'x-forwarded-for' or 'forwarded'.`);
  }
  if (options.peerAddress !== undefined && typeof options.peerAddress !== 'function') {
    throw new SmarterConfigError('clientIdentity: peerAddress must be a function (c) => string | undefined.');
  }
  return {
    trust: resolveTrust(options.trustedProxies ?? []),
    forwardingHeader: header,
    peerAddress: options.peerAddress ?? runtimePeerAddress,
  };
}

/** Turns the `trustedProxies` option into a {@link ProxyTrust}; throws a config error on unknown names or CIDRs. */
export function resolveTrust(trusted: readonly string[] | number): ProxyTrust {
  if (typeof trusted === 'number') {
    if (!Number.isInteger(trusted) || trusted < 0 || trusted > 16) {
      throw new SmarterConfigError('trustedProxies: a hop count must be an integer from 0 to 16, or pass CIDRs.');
    }
    return trusted === 0 ? { kind: 'none' } : { kind: 'hops', hops: trusted };
  }
  if (!Array.isArray(trusted)) {
    throw new SmarterConfigError('trustedProxies: pass a list of CIDRs or preset names, or a hop count.');
  }
  const cidrs: string[] = [];
  for (const entry of trusted) {
    const name = String(entry).trim();
    if (name.length === 0) continue;
    const preset = Object.hasOwn(PROXY_PRESETS, name.toLowerCase()) ? PROXY_PRESETS[name.toLowerCase()] : undefined;
    if (preset) {
      cidrs.push(...preset);
      continue;
    }
    if (name === '*' || name === '0.0.0.0/0' || name === '::/0') {
      throw new SmarterConfigError(
        `trustedProxies: "${name}" would let any client forge its address. List your proxies' CIDRs or a preset.`,
      );
    }
    if (!/^[0-9a-fA-F:.[\]]+(?:\/\d{1,3})?$/.test(name)) {
      throw new SmarterConfigError(
        `trustedProxies: unknown preset "${name}". Use a CIDR or one of: ${Object.keys(PROXY_PRESETS).join(', ')}.`,
      );
    }
    cidrs.push(name);
  }
  if (cidrs.length === 0) return { kind: 'none' };
  try {
    return { kind: 'cidrs', matches: compileIpMatcher(cidrs) };
  } catch (error) {
    throw new SmarterConfigError(
      `trustedProxies: ${(error as Error).message}; write it like 10.0.0.0/8 or 2001:db8::/32.`,
    );
  }
}

/** Builds the identity of one request with resolved options. Exposed for guards used without the middleware. */
export function identifyRequest(c: Context, options: ResolvedClientIdentityOptions): ClientIdentity {
  const raw = c.req.raw;
  const url = raw.url;
  return resolveClient(
    {
      peer: peerOf(c, options),
      urlScheme: runtimeScheme(c, url),
      hostHeader: raw.headers.get('host') ?? authorityOf(url),
      header: (name) => raw.headers.get(name) ?? undefined,
    },
    options.trust,
    options.forwardingHeader,
  );
}

/** The TCP peer address from the injected function; undefined when it has none or fails. */
function peerOf(c: Context, options: ResolvedClientIdentityOptions): string | undefined {
  try {
    return options.peerAddress(c);
  } catch {
    return undefined;
  }
}

function authorityOf(url: string): string | undefined {
  const start = url.indexOf('//');
  if (start === -1) return undefined;
  const end = url.indexOf('/', start + 2);
  return url.slice(start + 2, end === -1 ? undefined : end);
}

/**
 * Resolves the client once per request (SPEC §1) and exposes it as `c.get('clientIdentity')`, `clientIp`,
 * `clientKey` and `clientScheme`. Mount it first: every guard reads this one view of the client.
 *
 * @example
 * app.use(clientIdentity({ trustedProxies: ['cloudflare'], peerAddress: (c) => getConnInfo(c).remote.address }));
 */
export function clientIdentity(options: ClientIdentityOptions = {}): MiddlewareHandler<{
  Variables: IdentityVariables;
}> {
  return phaseMiddleware(clientIdentityPhase(options)) as MiddlewareHandler<{ Variables: IdentityVariables }>;
}

/** One remembered identity and the inputs it was resolved from. */
class RememberedIdentity {
  identity: ClientIdentity | undefined = undefined;
  peer: string | undefined = undefined;
  scheme: ClientScheme | undefined = undefined;
  host: string | undefined = undefined;
  chain: string | undefined = undefined;
  proto: string | undefined = undefined;
  forwardedHost: string | undefined = undefined;

  /** The identity when these are the inputs it was resolved from, else undefined. */
  answer(
    peer: string | undefined,
    scheme: ClientScheme,
    host: string | undefined,
    chain: string | undefined,
    proto: string | undefined,
    forwardedHost: string | undefined,
  ): ClientIdentity | undefined {
    return peer === this.peer &&
      scheme === this.scheme &&
      host === this.host &&
      chain === this.chain &&
      proto === this.proto &&
      forwardedHost === this.forwardedHost
      ? this.identity
      : undefined;
  }
}

/**
 * {@link identifyRequest} for one set of options, remembering its last two answers: the next request with the same
 * peer, URL scheme, Host and forwarding headers as one of them (every request of a keep-alive connection, most
 * requests behind one proxy, and a client whose requests interleave with one other client's, such as a flooder's)
 * gets the same identity without resolving it again. The identity is frozen, since requests share it. Forwarding
 * headers are read only when the peer is one that may speak for the client, as {@link resolveClient} does.
 */
export function requestIdentifier(options: ResolvedClientIdentityOptions): (c: Context) => ClientIdentity {
  const { trust, forwardingHeader } = options;
  const readsProtoAndHost = forwardingHeader === 'x-forwarded-for';
  let recent = new RememberedIdentity();
  let older = new RememberedIdentity();
  return function identify(c) {
    const raw = c.req.raw;
    const url = raw.url;
    const headers = raw.headers;
    const urlScheme = runtimeScheme(c, url);
    const peer = peerOf(c, options);
    const hostHeader = headers.get('host');
    // Host validation needs the raw header too: keep it with the request it came from (read once per request).
    const state = requestState(c);
    state.hostHeader = hostHeader;
    state.hostHeaderOf = raw;
    const host = hostHeader ?? authorityOf(url);
    let chain: string | undefined;
    let proto: string | undefined;
    let forwardedHost: string | undefined;
    if (trust.kind !== 'none' && peer !== undefined) {
      const canonicalPeer = canonicalIp(peer);
      if (canonicalPeer !== undefined && (trust.kind === 'hops' || trust.matches(canonicalPeer))) {
        chain = headers.get(forwardingHeader) ?? undefined;
        if (readsProtoAndHost) {
          proto = headers.get('x-forwarded-proto') ?? undefined;
          forwardedHost = headers.get('x-forwarded-host') ?? undefined;
        }
      }
    }
    const hit = recent.answer(peer, urlScheme, host, chain, proto, forwardedHost);
    if (hit !== undefined) return hit;
    const previous = older.answer(peer, urlScheme, host, chain, proto, forwardedHost);
    if (previous !== undefined) {
      const swap = recent;
      recent = older;
      older = swap;
      return previous;
    }
    const identity = Object.freeze(
      resolveClient(
        {
          peer,
          urlScheme,
          hostHeader: host,
          header: (name) =>
            name === 'x-forwarded-proto' ? proto : name === 'x-forwarded-host' ? forwardedHost : chain,
        },
        trust,
        forwardingHeader,
      ),
    );
    // The older slot takes the new answer and becomes the recent one.
    const slot = older;
    older = recent;
    recent = slot;
    slot.identity = identity;
    slot.peer = peer;
    slot.scheme = urlScheme;
    slot.host = host;
    slot.chain = chain;
    slot.proto = proto;
    slot.forwardedHost = forwardedHost;
    return identity;
  };
}

/** {@link clientIdentity} as a phase (the preset runs it in its composed layer). */
export function clientIdentityPhase(options: ClientIdentityOptions = {}): Phase {
  const identify = requestIdentifier(resolveClientIdentityOptions(options));
  return {
    before: function clientIdentity(c) {
      const identity = identify(c);
      requestState(c).identity = identity;
      c.set('clientIdentity' as never, identity as never);
      c.set('clientIp' as never, identity.ip as never);
      c.set('clientKey' as never, identity.key as never);
      c.set('clientScheme' as never, identity.scheme as never);
      return undefined;
    },
  };
}

const fallback = resolveClientIdentityOptions();

/**
 * The identity of the current request: the one {@link clientIdentity} resolved, or (when it was not mounted) one
 * built without trusting any header and without a peer address, so a guard never runs on "no client".
 */
export function identityOf(c: Context): ClientIdentity {
  const existing = existingRequestState(c)?.identity ?? (c.get('clientIdentity') as ClientIdentity | undefined);
  if (existing !== undefined) return existing;
  const identity = identifyRequest(c, fallback);
  c.set('clientIdentity', identity);
  return identity;
}
