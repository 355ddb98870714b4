import type { Clock, HostResolution, HostResolver, OriginResolver } from '@smarter/security';
import { SmarterConfigError } from '@smarter/security';
import type { Database } from '../core/database.ts';
import { type AgentRecord, agentRepository } from '../repositories/agents.ts';

/** Options of {@link agentHostResolver}. */
export interface AgentHostResolverOptions {
  /** How long an answer (found or not) is cached, in ms. Keep it short: it bounds how long a change takes. @default 5000 */
  readonly ttlMs?: number;
  /** Most host names cached; the least recently used go first. @default 10000 */
  readonly maxEntries?: number;
  /** Clock for the cache. @default Date.now */
  readonly now?: Clock;
}

/** The resolved options of {@link agentHostResolver}. */
export interface ResolvedAgentHostResolverOptions {
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly now: Clock;
}

const KNOWN = new Set(['ttlMs', 'maxEntries', 'now']);

/** Validates {@link AgentHostResolverOptions}; throws a SmarterConfigError that says what to write instead. */
export function resolveAgentHostResolverOptions(
  options: AgentHostResolverOptions = {},
): ResolvedAgentHostResolverOptions {
  for (const name of Object.keys(options)) {
    if (!KNOWN.has(name)) throw new SmarterConfigError(`Unknown option "${name}": use ttlMs, maxEntries or now`);
  }
  const ttlMs = options.ttlMs ?? 5000;
  const maxEntries = options.maxEntries ?? 10_000;
  if (!Number.isInteger(ttlMs) || ttlMs < 0 || ttlMs > 300_000) {
    throw new SmarterConfigError('ttlMs must be an integer from 0 to 300000 (5 minutes); e.g. ttlMs: 5000');
  }
  if (!Number.isInteger(maxEntries) || maxEntries < 1 || maxEntries > 1_000_000) {
    throw new SmarterConfigError('maxEntries must be an integer from 1 to 1000000; e.g. maxEntries: 10000');
  }
  return { ttlMs, maxEntries, now: options.now ?? Date.now };
}

/** Host and origin resolution over the agents table, with a bounded cache that can be invalidated. */
export interface AgentHostResolver extends HostResolver, OriginResolver {
  /** Forgets one host name (after a deploy, an undeploy or a domain change), or every cached answer. */
  invalidate(host?: string): void;
}

interface Entry {
  readonly agent: AgentRecord | undefined;
  readonly expiresAt: number;
}

function resolutionOf(host: string, agent: AgentRecord | undefined): HostResolution | undefined {
  if (agent === undefined || !agent.deployed) return undefined;
  let pendingVerification: boolean;
  if (agent.hostname === host) pendingVerification = false;
  else if (agent.customDomain !== host) return undefined;
  else if (agent.domainStatus === 'verified') pendingVerification = false;
  else if (agent.domainStatus === 'pending') pendingVerification = true;
  else return undefined;
  return { kind: 'agent', agentId: agent.id, agentName: agent.name, accountId: agent.accountId, pendingVerification };
}

/**
 * The {@link HostResolver} and {@link OriginResolver} of SPEC §5 and §8 over the agents table: a deployed agent
 * answers on `<agent>.<account-number>.<api-domain>` or on its verified custom domain; a custom domain still
 * awaiting DNS verification resolves with `pendingVerification: true` (only ACME may pass); anything else, or an
 * undeployed agent, is undefined. Answers are cached per host name (bounded LRU, short TTL); database failures are
 * never cached and reject, so host validation fails closed.
 *
 * @example
 * const hosts = agentHostResolver(db, { ttlMs: 5000 });
 * app.use(hostValidation({ resolver: hosts }));
 * await agents.update(id, { deployed: true }); hosts.invalidate(agent.hostname);
 */
export function agentHostResolver(db: Database, options: AgentHostResolverOptions = {}): AgentHostResolver {
  const { ttlMs, maxEntries, now } = resolveAgentHostResolverOptions(options);
  const agents = agentRepository(db);
  const cache = new Map<string, Entry>();
  const byAgent = new Map<string, string>();

  async function lookup(host: string): Promise<AgentRecord | undefined> {
    const at = now();
    const hit = cache.get(host);
    if (hit !== undefined && hit.expiresAt > at) {
      cache.delete(host);
      cache.set(host, hit);
      return hit.agent;
    }
    const agent = await agents.getByHost(host);
    if (ttlMs > 0) {
      cache.delete(host);
      // Past the cap the least recently used eighth goes in one pass: one entry at a time through keys().next() walked
      // past every entry V8 had deleted from the map's front since it was last rebuilt (8 µs a miss at 10,000).
      if (cache.size >= maxEntries) {
        const keep = maxEntries - Math.max(1, maxEntries >>> 3);
        for (const [oldest, entry] of cache) {
          if (cache.size <= keep) break;
          const evicted = entry.agent;
          if (evicted !== undefined && byAgent.get(evicted.id) === oldest) byAgent.delete(evicted.id);
          cache.delete(oldest);
        }
      }
      cache.set(host, { agent, expiresAt: at + ttlMs });
      if (agent !== undefined) byAgent.set(agent.id, host);
    }
    return agent;
  }

  return {
    async resolve(host) {
      const canonical = host.toLowerCase();
      return resolutionOf(canonical, await lookup(canonical));
    },
    async originsFor(resolution) {
      const host = byAgent.get(resolution.agentId);
      const cached = host === undefined ? undefined : cache.get(host);
      const agent =
        cached?.agent?.id === resolution.agentId && cached.expiresAt > now()
          ? cached.agent
          : await agents.getById(resolution.agentId);
      if (agent === undefined || !agent.deployed) return [];
      return agent.allowedOrigins.map((origin) => origin.toLowerCase());
    },
    invalidate(host) {
      if (host === undefined) {
        cache.clear();
        byAgent.clear();
      } else {
        cache.delete(host.toLowerCase());
      }
    },
  };
}
