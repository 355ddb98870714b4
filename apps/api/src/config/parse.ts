import { SmarterConfigError } from '@smarter/security';

/** Splits a comma-separated setting into trimmed, non-empty items. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** Parses a boolean setting (`1/0`, `true/false`, `yes/no`, `on/off`); undefined when unset. */
export function parseBoolean(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new SmarterConfigError(`${name} must be true or false (or 1/0).`);
}

/**
 * Canonicalises a serialized origin (`scheme://host[:port]`, lower-case, default port dropped).
 * Throws a {@link SmarterConfigError} naming the setting (never the value) for anything else.
 */
export function parseOrigin(name: string, value: string): string {
  if (value === '*') {
    throw new SmarterConfigError(`${name} may not contain "*": list each origin (https://app.example.com).`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SmarterConfigError(`${name} holds an entry that is not an origin: write scheme://host[:port].`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SmarterConfigError(`${name} entries must be http(s) origins: write https://host[:port].`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    throw new SmarterConfigError(
      `${name} entries are origins without path, query or credentials: https://host[:port].`,
    );
  }
  if (url.hostname.includes('*')) {
    throw new SmarterConfigError(`${name} may not contain wildcard hosts: list each origin.`);
  }
  return url.origin.toLowerCase();
}

const HOST = /^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?$/;
const IPV6_HOST = /^\[[0-9a-f:.]+\](?::\d{1,5})?$/;

/** Validates one allowed host (exact name, optional port; `*.x` only so `checkDeploy` can refuse it by name). */
export function parseHost(name: string, value: string): string {
  const host = value.trim().toLowerCase().replace(/\.$/, '');
  if (host === '*' || !(HOST.test(host) || IPV6_HOST.test(host))) {
    throw new SmarterConfigError(
      `${name} holds an entry that is not a host name: list exact names such as api.example.com (no scheme, no path).`,
    );
  }
  return host;
}

/** Trusted-proxy presets understood by the security package (SPEC §1). */
export const TRUSTED_PROXY_PRESETS: readonly string[] = ['cloudflare', 'aws-alb', 'gcp-lb', 'loopback', 'private'];

const IPV4_CIDR = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\/(?:3[0-2]|[12]?\d))?$/;
const IPV6_CIDR = /^[0-9a-f:]*:[0-9a-f:.]*(?:\/(?:12[0-8]|1[01]\d|[1-9]?\d))?$/i;

/** Validates one trusted-proxy entry: a CIDR or address, or a preset name (a hop count is the whole setting). */
export function parseTrustedProxy(value: string): string {
  const v = value.trim().toLowerCase();
  if (TRUSTED_PROXY_PRESETS.includes(v) || IPV4_CIDR.test(v) || IPV6_CIDR.test(v)) return v;
  throw new SmarterConfigError(
    `SMARTER_TRUSTED_PROXIES holds an entry that is neither a CIDR, a hop count nor a preset (${TRUSTED_PROXY_PRESETS.join(', ')}).`,
  );
}

/** Levenshtein distance, for "did you mean" hints on misspelled settings. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}
