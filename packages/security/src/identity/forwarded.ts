/** One element of an RFC 7239 `Forwarded` header, lower-case parameter names, quotes removed. */
export interface ForwardedElement {
  readonly for?: string;
  readonly proto?: string;
  readonly host?: string;
}

/**
 * Splits `X-Forwarded-For` (possibly several header lines joined by commas) into trimmed entries, in order.
 * Empty entries are kept as empty strings so that right-to-left walking sees them (and stops at them).
 */
export function splitList(value: string | undefined): string[] {
  if (value === undefined || value.length === 0) return [];
  return value.split(',').map((part) => part.trim());
}

/**
 * Parses RFC 7239 `Forwarded` into its elements, left to right. Malformed elements come back empty, so a walker
 * treats them as untrusted garbage rather than skipping them.
 *
 * Elements are found from the right, where the proxies nearest to the app appended theirs: a client's element with
 * an unclosed quote (`for=9.9.9.9;by="`) would otherwise swallow the proxy's quoted element after it
 * (`, for="203.0.113.7:4711"`) and pass itself off as the address the proxy saw. Found from the right, the proxy's
 * element is read as the proxy wrote it and the client's comes back malformed.
 *
 * @example
 * parseForwarded('for=192.0.2.60;proto=http, for="[2001:db8::1]:4711"');
 */
export function parseForwarded(value: string | undefined): ForwardedElement[] {
  if (value === undefined || value.length === 0) return [];
  const elements: ForwardedElement[] = [];
  for (const element of elementsFromTheRight(value)) {
    const out: { for?: string; proto?: string; host?: string } = {};
    const pairs = splitOutsideQuotes(element, ';');
    let ok = pairs !== undefined;
    for (const pair of pairs ?? []) {
      const trimmed = pair.trim();
      if (trimmed.length === 0) continue;
      const eq = trimmed.indexOf('=');
      if (eq <= 0) {
        ok = false;
        break;
      }
      const name = trimmed.slice(0, eq).trim().toLowerCase();
      let v = trimmed.slice(eq + 1).trim();
      if (v.startsWith('"')) {
        if (v.length < 2 || !v.endsWith('"')) {
          ok = false;
          break;
        }
        v = v.slice(1, -1).replace(/\\(.)/g, '$1');
      }
      if (name === 'for' || name === 'proto' || name === 'host') {
        if (out[name] !== undefined) {
          ok = false;
          break;
        }
        out[name] = v;
      }
    }
    elements.push(ok ? out : {});
  }
  return elements;
}

/**
 * Splits `Forwarded` at the commas outside quoted strings, scanning from the end: what a client wrote on the left
 * cannot move the boundaries of the elements its proxies appended on the right. Returns the elements left to right.
 */
function elementsFromTheRight(value: string): string[] {
  const parts: string[] = [];
  let end = value.length;
  let quoted = false;
  for (let i = value.length - 1; i >= 0; i--) {
    const ch = value[i];
    if (ch === '"' && !(quoted && escapedAt(value, i))) quoted = !quoted;
    else if (ch === ',' && !quoted) {
      parts.push(value.slice(i + 1, end));
      end = i;
    }
  }
  parts.push(value.slice(0, end));
  return parts.reverse();
}

/** Whether the quote at `i` is escaped: an odd number of backslashes right before it. */
function escapedAt(value: string, i: number): boolean {
  let backslashes = 0;
  for (let j = i - 1; j >= 0 && value[j] === '\\'; j--) backslashes++;
  return backslashes % 2 === 1;
}

/**
 * Splits at `separator` outside quoted strings (a backslash escapes the next character inside one); undefined when a
 * quoted string is left open, which makes the element malformed.
 */
function splitOutsideQuotes(value: string, separator: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\' && quoted) i++;
    else if (ch === '"') quoted = !quoted;
    else if (ch === separator && !quoted) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return quoted ? undefined : parts;
}

/**
 * The address inside a `for=` node or an `X-Forwarded-For` entry: strips an IPv4 `:port` or an IPv6 `[…]:port`.
 * Obfuscated identifiers (`_hidden`) and `unknown` come back as they are, and then fail IP canonicalisation.
 */
export function nodeAddress(node: string): string {
  const s = node.trim();
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    return end === -1 ? s : s.slice(0, end + 1);
  }
  const colon = s.indexOf(':');
  // Exactly one colon: IPv4 with a port. Several colons: a bare IPv6 address.
  if (colon !== -1 && s.indexOf(':', colon + 1) === -1) return s.slice(0, colon);
  return s;
}
