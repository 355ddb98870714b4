import type { Context, MiddlewareHandler } from 'hono';
import { SmarterConfigError } from '../errors/smarter-error.ts';
import { identityOf } from '../identity/client-identity.ts';
import { parseHostHeader } from '../identity/host-header.ts';
import { compileIpMatcher, type IpMatcher } from '../identity/ip.ts';
import { PROXY_PRESETS } from '../identity/presets.ts';
import type { HostVariables, IdentityVariables } from '../identity/types.ts';
import {
  canonicalPathOf,
  type FailMode,
  guardProblem,
  journalEvent,
  rejectUnknownOptions,
  resolveFailMode,
  storeFailure,
} from '../internal/guard.ts';
import { type Phase, phaseMiddleware } from '../internal/phase.ts';
import { hostHeaderOf } from '../internal/request-state.ts';
import type { Journal } from '../journal/journal.ts';
import type { CanonicalPathResult } from '../path/canonicalize.ts';
import { compilePathPatterns, type PathPatternMatcher } from '../path/patterns.ts';
import type { HostResolution, HostResolver } from './resolver.ts';

/** Reads every raw `Host` header line, where the runtime exposes them (duplicates are merged by `Headers`). */
export type RawHostHeaders = (c: Context) => readonly string[] | undefined;

/** Whether the request carries a forwarding header (it came through a proxy, not from a probe itself). */
function carriesForwarding(c: Context): boolean {
  const headers = c.req.raw.headers;
  return headers.get('x-forwarded-for') !== null || headers.get('forwarded') !== null;
}

/**
 * Health probes recognised by peer address, never by Host (SPEC §5). A request a trusted proxy forwarded (it carries
 * the proxy's forwarding header) is a client's, not a probe's, even when the proxy's address is in `from`.
 */
export interface HostProbeOptions {
  /** Canonical probe paths. */
  readonly paths: readonly string[];
  /** Peer CIDRs or preset names (`loopback`, `private`, …) the probes come from. */
  readonly from: readonly string[];
}

/** Options of {@link allowedHosts}. */
export interface AllowedHostsOptions {
  /** Exact host names; `name:port` pins a port, a bare name accepts any port. @default [] */
  readonly hosts?: readonly string[];
  /** Dynamic per-agent hosts (wrap it with `cachedHostResolver`). @default none */
  readonly resolver?: HostResolver;
  /** Suffix wildcards: every subdomain of these names is accepted. Dangerous: prefer `resolver`. @default [] */
  readonly dangerouslyAllowSubdomainsOf?: readonly string[];
  /** Lets ACME HTTP-01 challenges reach custom domains awaiting verification. @default true */
  readonly acmeChallenge?: boolean;
  /** Raw Host header lines. @default Node's `c.env.incoming.rawHeaders` (from `@hono/node-server`), else none */
  readonly rawHostHeaders?: RawHostHeaders;
  /** Health probes that skip host validation when they come from internal peers. @default none */
  readonly probes?: HostProbeOptions;
  /** What to do when the resolver fails. @default 'closed' (503) */
  readonly failMode?: FailMode;
  /** Where rejections are journaled. @default none */
  readonly journal?: Journal;
}

/** {@link AllowedHostsOptions} after validation. */
export interface ResolvedAllowedHostsOptions {
  readonly anyPort: ReadonlySet<string>;
  readonly withPort: ReadonlySet<string>;
  readonly suffixes: readonly string[];
  readonly resolver: HostResolver | undefined;
  readonly acmeChallenge: boolean;
  readonly hostLineCount: HostLineCount;
  readonly isProbePath: PathPatternMatcher;
  readonly isProbePeer: IpMatcher;
  readonly failMode: FailMode;
  readonly journal: Journal | undefined;
}

/** Request variables set by {@link allowedHosts}. */
export interface AllowedHostsVariables extends HostVariables, IdentityVariables {
  /** The deployed agent that owns the host, when it was resolved dynamically. */
  hostResolution: HostResolution | undefined;
}

const KNOWN = [
  'hosts',
  'resolver',
  'dangerouslyAllowSubdomainsOf',
  'acmeChallenge',
  'rawHostHeaders',
  'probes',
  'failMode',
  'journal',
];
const isAcmePath = compilePathPatterns('acme', ['/.well-known/acme-challenge/*']);

/** How many Host lines a request carried, as its runtime shows them; undefined when it does not. */
export type HostLineCount = (c: Context) => number | undefined;

/** Node's raw header lines (`c.env.incoming.rawHeaders` from `@hono/node-server`), counted without copying them. */
const nodeHostLineCount: HostLineCount = (c) => {
  const env = c.env as { incoming?: { rawHeaders?: unknown } } | undefined;
  const raw = env?.incoming?.rawHeaders;
  if (!Array.isArray(raw)) return undefined;
  let count = 0;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i];
    // Length first: most header names are not four characters long, and those skip the lower-casing.
    if (typeof name === 'string' && name.length === 4 && name.toLowerCase() === 'host') count++;
  }
  return count;
};

/** Validates {@link AllowedHostsOptions}. */
export function resolveAllowedHostsOptions(options: AllowedHostsOptions = {}): ResolvedAllowedHostsOptions {
  const guard = 'allowedHosts';
  rejectUnknownOptions(guard, options, KNOWN);
  const anyPort = new Set<string>();
  const withPort = new Set<string>();
  for (const entry of options.hosts ?? []) {
    if (typeof entry !== 'string' || entry.includes('*')) {
      throw new SmarterConfigError(
        `${guard}: "${String(entry)}" is not an exact host. Wildcards go in dangerouslyAllowSubdomainsOf, per-agent hosts in resolver.`,
      );
    }
    const parsed = parseHostHeader(entry);
    if (parsed === undefined) {
      throw new SmarterConfigError(
        `${guard}: "${entry}" is not a host name; write it like "api.example.com" or "example.com:8443".`,
      );
    }
    if (parsed.port === undefined) anyPort.add(parsed.host);
    else withPort.add(`${parsed.host}:${parsed.port}`);
  }
  const suffixes: string[] = [];
  for (const entry of options.dangerouslyAllowSubdomainsOf ?? []) {
    const parsed = parseHostHeader(String(entry).replace(/^\*?\./, ''));
    if (parsed === undefined || parsed.port !== undefined || !parsed.host.includes('.')) {
      throw new SmarterConfigError(
        `${guard}: dangerouslyAllowSubdomainsOf takes parent domains like "example.com" (no port, not a bare TLD).`,
      );
    }
    suffixes.push(`.${parsed.host}`);
  }
  if (options.resolver !== undefined && typeof options.resolver.resolve !== 'function') {
    throw new SmarterConfigError(`${guard}: resolver must be a HostResolver ({ resolve(host) }).`);
  }
  if (anyPort.size === 0 && withPort.size === 0 && suffixes.length === 0 && options.resolver === undefined) {
    throw new SmarterConfigError(`${guard}: no host is allowed. Pass hosts: ['api.example.com'] and/or a resolver.`);
  }
  let isProbePath: PathPatternMatcher = () => false;
  let isProbePeer: IpMatcher = () => false;
  if (options.probes !== undefined) {
    isProbePath = compilePathPatterns(`${guard} probes.paths`, options.probes.paths);
    const cidrs = options.probes.from.flatMap((name) => PROXY_PRESETS[name] ?? [name]);
    try {
      isProbePeer = compileIpMatcher(cidrs);
    } catch (error) {
      throw new SmarterConfigError(`${guard}: probes.from: ${(error as Error).message}.`);
    }
  }
  return {
    anyPort,
    withPort,
    suffixes,
    resolver: options.resolver,
    acmeChallenge: options.acmeChallenge ?? true,
    hostLineCount: hostLineCounter(options.rawHostHeaders),
    isProbePath,
    isProbePeer,
    failMode: resolveFailMode(guard, options.failMode),
    journal: options.journal,
  };
}

/**
 * Validates the requested host (SPEC §5) before anything else: exact names, dynamic per-agent hosts through a
 * {@link HostResolver}, ACME passthrough for domains awaiting verification, duplicate Host headers and absolute-form
 * targets that disagree with Host rejected, forwarded hosts only from trusted proxies (see `clientIdentity`). A
 * rejection is 400 problem+json `INVALID_HOST` that never echoes the host. Sets `c.get('validHost')`, the only host
 * redirects and links may use.
 *
 * @example
 * app.use(allowedHosts({ hosts: ['smarter.example'], resolver: cachedHostResolver(agentHosts) }));
 */
export function allowedHosts(options: AllowedHostsOptions = {}): MiddlewareHandler<{
  Variables: AllowedHostsVariables;
}> {
  return phaseMiddleware(allowedHostsPhase(options)) as MiddlewareHandler<{ Variables: AllowedHostsVariables }>;
}

/** {@link allowedHosts} as a phase (the preset runs it in its composed layer). */
export function allowedHostsPhase(options: AllowedHostsOptions = {}): Phase {
  const o = resolveAllowedHostsOptions(options);
  const reject = (c: Context, reason: string, key: string) => {
    journalEvent(o.journal, c, { type: 'host.rejected', severity: 'notice', clientKey: key, status: 400, reason });
    return guardProblem(c, 400, 'INVALID_HOST', 'Invalid host');
  };
  const check = async (c: Context, host: string, authority: string, canonical: CanonicalPathResult, key: string) => {
    let resolution: HostResolution | undefined;
    try {
      resolution = await (o.resolver as HostResolver).resolve(host);
    } catch {
      const failed = storeFailure(c, o.journal, 'allowedHosts', key, o.failMode);
      if (failed) return failed;
    }
    if (resolution?.pendingVerification) {
      if (!(o.acmeChallenge && canonical.ok && isAcmePath(canonical.path))) {
        return reject(c, 'PENDING_VERIFICATION', key);
      }
    }
    if (resolution === undefined) return reject(c, 'UNKNOWN_HOST', key);
    accept(c, host, authority, resolution);
    return undefined;
  };
  const before = function allowedHosts(c: Context): Response | undefined | Promise<Response | undefined> {
    const identity = identityOf(c);
    const hostHeader = hostHeaderOf(c);
    if ((o.hostLineCount(c) ?? 0) > 1 || hostHeader?.includes(',')) {
      return reject(c, 'DUPLICATE_HOST', identity.key);
    }
    if (hostHeader !== null && !targetAgreesWithHost(c.req.url, hostHeader)) {
      return reject(c, 'HOST_MISMATCH', identity.key);
    }
    const canonical = canonicalPathOf(c);
    // A probe connects itself: a request a trusted proxy forwarded comes from a client behind it, however internal
    // the proxy's own address is (even when the proxy names that client `unknown`).
    if (canonical.ok && o.isProbePath(canonical.path) && o.isProbePeer(identity.peer) && !carriesForwarding(c)) {
      return undefined;
    }
    const host = identity.host;
    if (host === undefined) return reject(c, 'MALFORMED_HOST', identity.key);
    const authority = identity.port === undefined ? host : `${host}:${identity.port}`;
    const allowed =
      o.anyPort.has(host) ||
      (identity.port !== undefined && o.withPort.has(authority)) ||
      o.suffixes.some((suffix) => host.endsWith(suffix));
    if (allowed) {
      accept(c, host, authority, undefined);
      return undefined;
    }
    if (o.resolver === undefined) return reject(c, 'UNKNOWN_HOST', identity.key);
    return check(c, host, authority, canonical, identity.key);
  };
  return { before };
}

function hostLineCounter(rawHostHeaders: RawHostHeaders | undefined): HostLineCount {
  if (rawHostHeaders === undefined) return nodeHostLineCount;
  return (c) => rawHostHeaders(c)?.length;
}

function accept(c: Context, host: string, authority: string, resolution: HostResolution | undefined): void {
  c.set('validHost' as never, host as never);
  c.set('validAuthority' as never, authority as never);
  if (resolution !== undefined) c.set('hostResolution' as never, resolution as never);
}

/** An absolute-form request target (or the URL the runtime built) must name the same authority as Host. */
function targetAgreesWithHost(url: string, hostHeader: string): boolean {
  const schemeEnd = url.indexOf('://');
  if (schemeEnd === -1) return false;
  const start = schemeEnd + 3;
  let end = url.indexOf('/', start);
  if (end === -1) end = url.length;
  // Origin-form requests (nearly all): the runtime built the URL's authority from this very header.
  if (end - start === hostHeader.length && url.startsWith(hostHeader, start)) return true;
  const target = parseHostHeader(url.slice(start, end));
  const header = parseHostHeader(hostHeader);
  if (header === undefined) return true;
  if (target === undefined) return false;
  if (target.host !== header.host) return false;
  const defaultPort = url.startsWith('https') ? '443' : '80';
  return (target.port ?? defaultPort) === (header.port ?? defaultPort);
}
