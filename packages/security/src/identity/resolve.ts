import { nodeAddress, parseForwarded, splitList } from './forwarded.ts';
import { parseHostHeader } from './host-header.ts';
import { canonicalIp, clientKeyOf, type IpMatcher } from './ip.ts';
import { type ClientIdentity, type ClientScheme, UNKNOWN_ADDRESS } from './types.ts';

/** Which forwarding headers the trusted proxies set. */
export type ForwardingHeader = 'x-forwarded-for' | 'forwarded';

/** The resolved trust model: a CIDR matcher or a fixed hop count (never both). */
export type ProxyTrust =
  | { readonly kind: 'none' }
  | { readonly kind: 'cidrs'; readonly matches: IpMatcher }
  | { readonly kind: 'hops'; readonly hops: number };

/** What {@link resolveClient} reads from one request. All header values raw, as the runtime gave them. */
export interface ClientRequestFacts {
  readonly peer: string | undefined;
  /** Scheme of the request URL as the runtime built it. */
  readonly urlScheme: ClientScheme;
  /** The `Host` header, or the URL authority when the protocol has no Host header (HTTP/2). */
  readonly hostHeader: string | undefined;
  readonly header: (name: string) => string | undefined;
}

interface Hop {
  readonly address: string | undefined;
  readonly proto?: string | undefined;
  readonly host?: string | undefined;
}

/**
 * Resolves the client from one request (SPEC §1). Pure: the same facts and trust always give the same identity.
 * The forwarding chain is walked right to left; trusted hops are skipped and the first untrusted address is the
 * client. Forwarded scheme and host are used only when at least one trusted proxy was skipped.
 */
export function resolveClient(facts: ClientRequestFacts, trust: ProxyTrust, header: ForwardingHeader): ClientIdentity {
  const peer = (facts.peer === undefined ? undefined : canonicalIp(facts.peer)) ?? UNKNOWN_ADDRESS;
  let ip = peer;
  let proto: string | undefined;
  let forwardedHost: string | undefined;
  let forwarded = false;

  if (trust.kind !== 'none' && peer !== UNKNOWN_ADDRESS && (trust.kind === 'hops' || trust.matches(peer))) {
    const hops = forwardingHops(facts, header);
    if (hops.length > 0) {
      // chain = [...hops, peer]; index of the client in `hops`, or -1 when the walk stops at the peer.
      let index = -1;
      if (trust.kind === 'hops') {
        index = Math.max(0, hops.length - trust.hops);
      } else {
        index = 0;
        for (let i = hops.length - 1; i >= 0; i--) {
          const address = hops[i]?.address;
          if (address === undefined || !trust.matches(address)) {
            index = i;
            break;
          }
        }
      }
      const hop = hops[index];
      if (hop?.address !== undefined) {
        ip = hop.address;
        forwarded = true;
      } else {
        // The nearest untrusted entry is garbage: keep the last trusted address that reported it.
        const nearer = hops[index + 1]?.address;
        if (nearer !== undefined) ip = nearer;
        forwarded = nearer !== undefined;
      }
      if (header === 'forwarded') {
        proto = hop?.proto;
        forwardedHost = hop?.host;
      } else {
        proto = lastOf(facts.header('x-forwarded-proto'));
        forwardedHost = lastOf(facts.header('x-forwarded-host'));
      }
    } else {
      // A trusted proxy that sent no chain may still say which scheme and host the client used.
      if (header === 'x-forwarded-for') {
        proto = lastOf(facts.header('x-forwarded-proto'));
        forwardedHost = lastOf(facts.header('x-forwarded-host'));
      }
    }
  }

  const p = proto?.toLowerCase();
  const scheme: ClientScheme = p === 'https' ? 'https' : p === 'http' ? 'http' : facts.urlScheme;
  const parsedHost = parseHostHeader(forwardedHost ?? facts.hostHeader);
  return {
    ip,
    key: ip === UNKNOWN_ADDRESS ? UNKNOWN_ADDRESS : clientKeyOf(ip),
    peer,
    forwarded,
    scheme,
    host: parsedHost?.host,
    port: parsedHost?.port,
  };
}

function forwardingHops(facts: ClientRequestFacts, header: ForwardingHeader): Hop[] {
  if (header === 'forwarded') {
    return parseForwarded(facts.header('forwarded')).map((element) => ({
      address: element.for === undefined ? undefined : canonicalIp(nodeAddress(element.for)),
      proto: element.proto,
      host: element.host,
    }));
  }
  return splitList(facts.header('x-forwarded-for')).map((entry) => ({ address: canonicalIp(nodeAddress(entry)) }));
}

function lastOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const comma = value.lastIndexOf(',');
  const last = (comma === -1 ? value : value.slice(comma + 1)).trim();
  return last.length === 0 ? undefined : last;
}
