/** What a dynamic host belongs to (SPEC §5). */
export interface HostResolution {
  readonly kind: 'agent';
  readonly agentId: string;
  readonly agentName: string;
  readonly accountId: string;
  /** A custom domain whose DNS verification is pending: only the ACME HTTP-01 path may pass. */
  readonly pendingVerification: boolean;
}

/**
 * Resolves a canonical host name (lower-case, no port, no trailing dot) to the deployed agent that owns it.
 * Implemented over the agents table by `@smarter/data`. Undeployed or unverified agents resolve to undefined
 * (pending custom domains resolve with `pendingVerification: true`). Rejects when the store is down.
 */
export interface HostResolver {
  resolve(host: string): Promise<HostResolution | undefined>;
}

/**
 * Per-agent (per-tenant) trusted origins for CORS and CSRF (SPEC §8, §9). Origins are serialized
 * (`scheme://host[:port]`, lower-case). Rejects when the store is down.
 */
export interface OriginResolver {
  originsFor(resolution: HostResolution): Promise<readonly string[]>;
}
