import { and, asc, eq, or } from 'drizzle-orm';
import { wrapDriver } from '../core/data-error.ts';
import type { Database } from '../core/database.ts';
import { defined, first, newId, queries } from '../internal/orm.ts';
import type { RepositoryOptions } from './options.ts';

/** Where a custom domain stands: none set, DNS verification pending, or verified. */
export type DomainStatus = 'none' | 'pending' | 'verified';

/** An LLM agent (SPEC §5, §8, §21). The provider key lives in `secrets`, referenced by `providerSecretId`. */
export interface AgentRecord {
  readonly id: string;
  readonly accountId: string;
  /** DNS label, unique per account. */
  readonly name: string;
  /** `<agent>.<account-number>.<api-domain>`, lower-case. */
  readonly hostname: string;
  readonly customDomain: string | null;
  readonly domainVerificationToken: string | null;
  readonly domainStatus: DomainStatus;
  readonly deployed: boolean;
  /** Serialized origins (`scheme://host[:port]`) trusted for CORS and CSRF on this agent. */
  readonly allowedOrigins: readonly string[];
  /** When true, every request to the agent needs an API key bound to it or its account. */
  readonly requireKey: boolean;
  readonly systemPrompt: string;
  readonly provider: string;
  readonly model: string;
  readonly providerBaseUrl: string | null;
  readonly providerSecretId: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Fields {@link AgentRepository.update} may change. */
export type AgentPatch = Partial<
  Pick<
    AgentRecord,
    | 'deployed'
    | 'allowedOrigins'
    | 'requireKey'
    | 'systemPrompt'
    | 'provider'
    | 'model'
    | 'providerBaseUrl'
    | 'providerSecretId'
  >
>;

/** What {@link AgentRepository.create} needs: identity fields plus any changeable one; the rest has defaults (undeployed, no custom domain). */
export type NewAgent = Pick<AgentRecord, 'accountId' | 'name' | 'hostname'> & AgentPatch;

/** Agents storage. Rejects with a DataError (`DATA_CONFLICT` for a taken name, hostname or domain). */
export interface AgentRepository {
  create(input: NewAgent): Promise<AgentRecord>;
  getById(id: string): Promise<AgentRecord | undefined>;
  getByName(accountId: string, name: string): Promise<AgentRecord | undefined>;
  /** The agent whose hostname or custom domain is `host` (lower-case, no port), deployed or not. */
  getByHost(host: string): Promise<AgentRecord | undefined>;
  listByAccount(accountId: string): Promise<AgentRecord[]>;
  update(id: string, patch: AgentPatch): Promise<AgentRecord | undefined>;
  /** Sets (or clears, with null) a custom domain; it starts `pending` with a fresh verification token. */
  setCustomDomain(
    id: string,
    domain: string | null,
    verificationToken: string | null,
  ): Promise<AgentRecord | undefined>;
  /** Compare-and-swap: marks the domain verified only if it is still `domain` and pending; true when it did. */
  markDomainVerified(id: string, domain: string): Promise<boolean>;
  /**
   * Deletes the agent; true when it existed. Key bindings stay on purpose: a key bound only to deleted agents opens
   * nothing, whereas removing its bindings would turn it into an unbound key that opens every agent.
   */
  delete(id: string): Promise<boolean>;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The hostname of an agent: `<agent>.<account-number>.<api-domain>`, lower-case. Throws on a name that is not a
 * DNS label, so no hostname can be forged from a crafted agent name.
 *
 * @example
 * agentHostname('support', '1234-5678-9012', 'agents.example.com'); // 'support.1234-5678-9012.agents.example.com'
 */
export function agentHostname(agentName: string, accountNumber: string, apiDomain: string): string {
  const name = agentName.toLowerCase();
  const domain = apiDomain.toLowerCase().replace(/\.$/, '');
  if (!LABEL.test(name)) throw new RangeError('An agent name must be a DNS label: a-z, 0-9 and inner hyphens');
  if (!/^\d{4}-\d{4}-\d{4}$/.test(accountNumber)) throw new RangeError('Invalid account number');
  if (!domain.split('.').every((label) => LABEL.test(label))) throw new RangeError('Invalid API domain');
  return `${name}.${accountNumber}.${domain}`;
}

/** Agents over a {@link Database}. */
export function agentRepository(db: Database, options: RepositoryOptions = {}): AgentRepository {
  const { orm, t } = queries(db);
  const now = options.now ?? Date.now;
  const byId = async (id: string) => first(await orm.select().from(t.agents).where(eq(t.agents.id, id)).limit(1));
  return {
    create: (input) =>
      wrapDriver(async () => {
        const at = now();
        const record: AgentRecord = {
          id: newId(),
          accountId: input.accountId,
          name: input.name,
          hostname: input.hostname.toLowerCase(),
          customDomain: null,
          domainVerificationToken: null,
          domainStatus: 'none',
          deployed: input.deployed ?? false,
          allowedOrigins: input.allowedOrigins ?? [],
          // Chat on the agent's host needs an API key unless the agent is made public on purpose.
          requireKey: input.requireKey ?? true,
          systemPrompt: input.systemPrompt ?? '',
          provider: input.provider ?? 'openai',
          model: input.model ?? 'gpt-4o-mini',
          providerBaseUrl: input.providerBaseUrl ?? null,
          providerSecretId: input.providerSecretId ?? null,
          createdAt: at,
          updatedAt: at,
        };
        await orm.insert(t.agents).values({ ...record, allowedOrigins: [...record.allowedOrigins] });
        return record;
      }),
    getById: (id) => wrapDriver(() => byId(id)),
    getByName: (accountId, name) =>
      wrapDriver(async () =>
        first(
          await orm
            .select()
            .from(t.agents)
            .where(and(eq(t.agents.accountId, accountId), eq(t.agents.name, name)))
            .limit(1),
        ),
      ),
    getByHost: (host) =>
      wrapDriver(async () =>
        first(
          await orm
            .select()
            .from(t.agents)
            .where(or(eq(t.agents.hostname, host), eq(t.agents.customDomain, host)))
            .limit(1),
        ),
      ),
    listByAccount: (accountId) =>
      wrapDriver(() =>
        orm.select().from(t.agents).where(eq(t.agents.accountId, accountId)).orderBy(asc(t.agents.name)),
      ),
    update: (id, patch) =>
      wrapDriver(async () => {
        const values = defined(patch);
        if (Object.keys(values).length === 0) return byId(id);
        const { allowedOrigins, ...rest } = values;
        const set = allowedOrigins === undefined ? rest : { ...rest, allowedOrigins: [...allowedOrigins] };
        return first(
          await orm
            .update(t.agents)
            .set({ ...set, updatedAt: now() })
            .where(eq(t.agents.id, id))
            .returning(),
        );
      }),
    setCustomDomain: (id, domain, verificationToken) =>
      wrapDriver(async () =>
        first(
          await orm
            .update(t.agents)
            .set({
              customDomain: domain === null ? null : domain.toLowerCase(),
              domainVerificationToken: domain === null ? null : verificationToken,
              domainStatus: domain === null ? 'none' : 'pending',
              updatedAt: now(),
            })
            .where(eq(t.agents.id, id))
            .returning(),
        ),
      ),
    markDomainVerified: (id, domain) =>
      wrapDriver(async () => {
        const changed = await orm
          .update(t.agents)
          .set({ domainStatus: 'verified', updatedAt: now() })
          .where(
            and(
              eq(t.agents.id, id),
              eq(t.agents.customDomain, domain.toLowerCase()),
              eq(t.agents.domainStatus, 'pending'),
            ),
          )
          .returning({ id: t.agents.id });
        return changed.length > 0;
      }),
    delete: (id) =>
      wrapDriver(async () => {
        const deleted = await orm.delete(t.agents).where(eq(t.agents.id, id)).returning({ id: t.agents.id });
        return deleted.length > 0;
      }),
  };
}
