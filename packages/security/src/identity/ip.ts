import ipaddr from 'ipaddr.js';
import { rememberLast } from '../internal/remember-last.ts';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const CANONICAL_IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

/**
 * Canonical form of an IP address text (SPEC §1): IPv4-mapped IPv6 becomes IPv4, IPv6 is compressed and lower-case
 * (RFC 5952), zone ids and `[brackets]` are dropped. Anything else (host names, short or hex IPv4 forms, ports,
 * garbage) is undefined.
 *
 * @example
 * canonicalIp('::ffff:10.0.0.1'); // '10.0.0.1'
 * canonicalIp('2001:DB8::0:1%eth0'); // '2001:db8::1'
 */
export function canonicalIp(text: string): string | undefined {
  return canonicalRemembered(text);
}

function canonicalize(text: string): string | undefined {
  // Hot path: a peer address the runtime already gives in canonical dotted-decimal form (no leading zeros) is its own
  // canonical form; ipaddr.js would parse and print the same string back.
  if (CANONICAL_IPV4.test(text)) return text;
  let s = text.trim();
  if (s.length === 0 || s.length > 64) return undefined;
  if (s.charCodeAt(0) === 91 /* [ */) {
    if (s.charCodeAt(s.length - 1) !== 93 /* ] */) return undefined;
    s = s.slice(1, -1);
  }
  if (s.includes(':')) {
    const zone = s.indexOf('%');
    if (zone !== -1) s = s.slice(0, zone);
    if (!ipaddr.IPv6.isValid(s)) return undefined;
    const v6 = ipaddr.IPv6.parse(s);
    return v6.isIPv4MappedAddress() ? v6.toIPv4Address().toString() : v6.toRFC5952String();
  }
  if (!ipaddr.IPv4.isValidFourPartDecimal(s)) return undefined;
  return ipaddr.IPv4.parse(s).toString();
}

// Requests on one connection (and most in a row) come from the same peer: remember the last answer.
const canonicalRemembered = rememberLast(canonicalize);

/**
 * The counter and ban key of a canonical IP: IPv4 as is (/32), IPv6 as its /64 prefix, because one IPv6 subscriber
 * usually holds a whole /64 and could otherwise rotate addresses to dodge limits.
 *
 * @example
 * clientKeyOf('2001:db8:1:2:3:4:5:6'); // '2001:db8:1:2::/64'
 */
export function clientKeyOf(ip: string): string {
  if (!ip.includes(':')) return ip;
  const parts = ipaddr.IPv6.parse(ip).parts;
  const prefix = new ipaddr.IPv6([parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 0, 0, 0, 0, 0]);
  return `${prefix.toRFC5952String()}/64`;
}

/** A compiled CIDR set: true when a canonical IP falls in one of its ranges. */
export type IpMatcher = (ip: string) => boolean;

/** Parses one CIDR (or bare address) into a range; undefined when it is not valid. */
export function parseCidr(text: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined {
  const s = text.trim();
  const slash = s.indexOf('/');
  const address = canonicalIp(slash === -1 ? s : s.slice(0, slash));
  if (address === undefined) return undefined;
  const isV6 = address.includes(':');
  const max = s.includes(':') ? 128 : 32;
  let bits = max;
  if (slash !== -1) {
    const tail = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(tail)) return undefined;
    bits = Number(tail);
    if (bits > max) return undefined;
  }
  // A mapped IPv6 range like ::ffff:10.0.0.0/104 canonicalises to IPv4: shift its prefix length.
  if (!isV6 && s.includes(':')) {
    if (bits < 96) return undefined;
    bits -= 96;
  }
  return [ipaddr.parse(address), bits];
}

/** Compiles CIDRs once into a matcher; throws on the first invalid entry (callers turn that into a config error). */
export function compileIpMatcher(cidrs: readonly string[]): IpMatcher {
  const v4: [ipaddr.IPv4, number][] = [];
  const v6: [ipaddr.IPv6, number][] = [];
  for (const cidr of cidrs) {
    const range = parseCidr(cidr);
    if (range === undefined) throw new TypeError(`invalid CIDR: ${cidr}`);
    const [address, bits] = range;
    if (address.kind() === 'ipv4') v4.push([address as ipaddr.IPv4, bits]);
    else v6.push([address as ipaddr.IPv6, bits]);
  }
  if (v4.length === 0 && v6.length === 0) return () => false;
  // IPv4 ranges as (network, mask) integers: the per-request check is arithmetic on the canonical text, with no
  // parser objects (ipaddr.js validated every range above).
  const networks = new Int32Array(v4.length);
  const masks = new Int32Array(v4.length);
  v4.forEach(([address, bits], i) => {
    const mask = bits === 0 ? 0 : ~0 << (32 - bits);
    masks[i] = mask;
    networks[i] = ipv4Int(address.toString()) & mask;
  });
  // The same peer asks again and again (every request of a connection): remember the last answer.
  return rememberLast(function ipInRanges(ip: string): boolean {
    if (ip.includes(':')) {
      if (v6.length === 0 || !ipaddr.IPv6.isValid(ip)) return false;
      const address = ipaddr.IPv6.parse(ip);
      for (const range of v6) if (address.match(range)) return true;
      return false;
    }
    if (v4.length === 0 || !CANONICAL_IPV4.test(ip)) return false;
    const n = ipv4Int(ip);
    for (let i = 0; i < networks.length; i++) if ((n & (masks[i] as number)) === networks[i]) return true;
    return false;
  });
}

/** The 32-bit value of a canonical dotted-decimal IPv4 address (already validated). */
function ipv4Int(ip: string): number {
  let value = 0;
  let octet = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46 /* . */) {
      value = (value << 8) | octet;
      octet = 0;
    } else {
      octet = octet * 10 + (c - 48);
    }
  }
  return (value << 8) | octet;
}
