import type { Context } from 'hono';

/** The URL scheme the client used, as seen through trusted proxies. */
export type ClientScheme = 'http' | 'https';

/**
 * One view of the client (SPEC §1), resolved once per request by {@link clientIdentity} and read by every guard.
 * Nothing here is a raw header: addresses are canonical, hosts lower-cased, and forwarded values are used only when
 * the peer is a trusted proxy.
 */
export interface ClientIdentity {
  /** Canonical client IP (IPv4 dotted quad, IPv6 RFC 5952 without zone), or `'unknown'` when the runtime gave none. */
  readonly ip: string;
  /** Key for counters and bans: the IPv4 address (/32), or the IPv6 /64 prefix (`2001:db8:1:2::/64`). */
  readonly key: string;
  /** Canonical address of the TCP peer (the proxy when there is one), or `'unknown'`. */
  readonly peer: string;
  /** True when `ip` came from a forwarding header of a trusted proxy rather than from the peer itself. */
  readonly forwarded: boolean;
  /** Scheme of the original request (`X-Forwarded-Proto` / `Forwarded: proto=` only from a trusted proxy). */
  readonly scheme: ClientScheme;
  /**
   * The requested host name, lower-case, without port or trailing dot (`X-Forwarded-Host` / `Forwarded: host=` only
   * from a trusted proxy). NOT validated: guards that build URLs must use {@link HostVariables.validHost}.
   * Undefined when the request carried no usable host.
   */
  readonly host: string | undefined;
  /** The port that came with the host, if any (`'8443'`). */
  readonly port: string | undefined;
}

/** Returns the TCP peer address of a request; each runtime entry injects its own. */
export type PeerAddress = (c: Context) => string | undefined;

/** Request-scoped variables set by {@link clientIdentity}; read them with `c.get('clientIp')` and friends. */
export interface IdentityVariables {
  /** The full identity. */
  clientIdentity: ClientIdentity;
  /** Same as `clientIdentity.ip`. */
  clientIp: string;
  /** Same as `clientIdentity.key` (the counter and ban key). */
  clientKey: string;
  /** Same as `clientIdentity.scheme`. */
  clientScheme: ClientScheme;
}

/** Request-scoped variables set by the host guard once the host is validated (SPEC §5). */
export interface HostVariables {
  /** The validated host name (lower-case, no port): the only host a redirect or link may use. */
  validHost: string;
  /** The validated authority (`host[:port]`) as it should appear in a URL. */
  validAuthority: string;
}

/** Sentinel used when a runtime supplies no peer address (never silently "no checks", SPEC §1). */
export const UNKNOWN_ADDRESS = 'unknown';
