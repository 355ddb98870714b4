import { rememberLast } from '../internal/remember-last.ts';

/** A parsed `Host` (or forwarded host) value. */
export interface ParsedHost {
  /** Lower-case name without trailing dot; IPv6 literals keep their brackets (`[::1]`). */
  readonly host: string;
  /** Decimal port, when one was given. */
  readonly port: string | undefined;
}

const REG_NAME = /^[a-z0-9](?:[a-z0-9_-]{0,62}(?:\.[a-z0-9_-]{1,63})*)?$/;
const IPV6_LITERAL = /^\[[0-9a-f:.]+\]$/;

/**
 * Parses a Host header value strictly: a DNS name (letters, digits, `-`, `_`, dots), an IPv4 address or a bracketed
 * IPv6 literal, then an optional port 1–65535. Lists (`a, b`), userinfo, paths and anything else are undefined.
 *
 * @example
 * parseHostHeader('API.Example.com.:8443'); // { host: 'api.example.com', port: '8443' }
 */
export function parseHostHeader(value: string | undefined | null): ParsedHost | undefined {
  if (value === undefined || value === null) return undefined;
  return parseRemembered(value);
}

// Nearly every request names the same host, and each is parsed by identity and by the host guard: remember the last
// one (a pure function of the string; the result is frozen).
const parseRemembered = rememberLast(parse);

function parse(value: string): ParsedHost | undefined {
  let s = value.trim().toLowerCase();
  if (s.length === 0 || s.length > 262) return undefined;
  let port: string | undefined;
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end === -1) return undefined;
    const rest = s.slice(end + 1);
    if (rest.length > 0) {
      if (!rest.startsWith(':')) return undefined;
      port = rest.slice(1);
    }
    s = s.slice(0, end + 1);
    if (!IPV6_LITERAL.test(s)) return undefined;
  } else {
    const colon = s.lastIndexOf(':');
    if (colon !== -1) {
      port = s.slice(colon + 1);
      s = s.slice(0, colon);
    }
    if (s.endsWith('.')) s = s.slice(0, -1);
    if (s.length > 253 || !REG_NAME.test(s)) return undefined;
  }
  if (port !== undefined) {
    if (!/^\d{1,5}$/.test(port)) return undefined;
    const n = Number(port);
    if (n < 1 || n > 65535) return undefined;
    port = String(n);
  }
  return Object.freeze({ host: s, port });
}
