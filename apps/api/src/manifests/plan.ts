import { Secret } from '@smarter/security';
import { durationMs } from '../openapi/schemas.ts';
import { ManifestError, type ManifestIssue } from './errors.ts';
import type { Manifest } from './schemas.ts';

/** What the planner asks about the current state (port; the data and auth packages answer it later). */
export interface ManifestLookup {
  userExists(email: string): Promise<boolean>;
  agentExists(name: string): Promise<boolean>;
  secretExists(name: string): Promise<boolean>;
  keyExists(userEmail: string, name: string): Promise<boolean>;
}

/** A typed operation against the ports, in dependency order. */
export type ManifestOperation =
  | {
      readonly op: 'secret.create' | 'secret.update';
      readonly name: string;
      readonly value: Secret;
      readonly description: string;
      readonly expiresAt: number | null;
    }
  | {
      readonly op: 'user.create' | 'user.update';
      readonly email: string;
      readonly username: string;
      readonly role: 'admin' | 'member';
      readonly active: boolean;
      readonly firstName: string;
      readonly lastName: string;
    }
  | {
      readonly op: 'agent.create' | 'agent.update';
      readonly name: string;
      readonly description: string;
      readonly provider: 'echo' | 'openai';
      readonly model: string | undefined;
      readonly deployed: boolean;
      readonly requireKey: boolean;
      readonly allowedOrigins: readonly string[];
      readonly apiKeySecret: string | undefined;
    }
  | {
      readonly op: 'key.create';
      readonly user: string;
      readonly name: string;
      readonly description: string;
      readonly scopes: readonly string[];
      readonly expiresInMs: number;
      readonly agents: readonly string[];
    }
  | { readonly op: 'key.unchanged'; readonly user: string; readonly name: string };

/** Options of {@link planApply}. */
export interface PlanOptions {
  /** Environment for `valueFromEnv` secrets. @default {} */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const ORDER: Readonly<Record<Manifest['kind'], number>> = { Secret: 0, User: 1, LLMClient: 2, SmarterAuthToken: 3 };

/**
 * Turns validated manifests into typed operations (create or update), ordered so that references resolve
 * (secrets, users, agents, then keys), and checks every reference against the lookup and the file itself.
 * Throws a {@link ManifestError} for duplicates and dangling references. Keys are never updated by a manifest
 * (their secret is shown once): an existing key is `key.unchanged`.
 *
 * @example
 * const plan = await planApply(parseManifests(text), lookup, { env: process.env });
 */
export async function planApply(
  manifests: readonly Manifest[],
  lookup: ManifestLookup,
  options: PlanOptions = {},
): Promise<ManifestOperation[]> {
  const env = options.env ?? {};
  const issues: ManifestIssue[] = [];
  const indexed = manifests.map((m, i) => ({ m, document: i + 1 })).sort((a, b) => ORDER[a.m.kind] - ORDER[b.m.kind]);
  const seen = new Set<string>();
  const newUsers = new Set<string>();
  const newAgents = new Set<string>();
  const newSecrets = new Set<string>();
  const ops: ManifestOperation[] = [];

  for (const { m, document } of indexed) {
    const id =
      m.kind === 'User'
        ? `User/${m.spec.config.email.toLowerCase()}`
        : m.kind === 'SmarterAuthToken'
          ? `Token/${m.spec.config.user.toLowerCase()}/${m.metadata.name}`
          : `${m.kind}/${m.metadata.name}`;
    if (seen.has(id)) {
      issues.push({ document, path: 'metadata.name', message: `Declared twice in this file (${m.kind})` });
      continue;
    }
    seen.add(id);
    const description = m.metadata.description ?? '';
    switch (m.kind) {
      case 'Secret': {
        const fromEnv = m.spec.config.valueFromEnv;
        const raw = fromEnv ? env[fromEnv] : m.spec.config.value;
        if (!raw) {
          issues.push({ document, path: 'spec.config.valueFromEnv', message: 'The environment variable is not set' });
          break;
        }
        const exists = await lookup.secretExists(m.metadata.name);
        newSecrets.add(m.metadata.name);
        ops.push({
          op: exists ? 'secret.update' : 'secret.create',
          name: m.metadata.name,
          value: new Secret(raw),
          description,
          expiresAt: m.spec.config.expiresAt ? Date.parse(m.spec.config.expiresAt) : null,
        });
        break;
      }
      case 'User': {
        const c = m.spec.config;
        const email = c.email.toLowerCase();
        const exists = await lookup.userExists(email);
        if (!exists) newUsers.add(email);
        ops.push({
          op: exists ? 'user.update' : 'user.create',
          email,
          username: m.metadata.name,
          role: c.role,
          active: c.isActive,
          firstName: c.firstName ?? '',
          lastName: c.lastName ?? '',
        });
        break;
      }
      case 'LLMClient': {
        const c = m.spec.config;
        if (c.provider === 'openai' && !c.apiKeySecret) {
          issues.push({
            document,
            path: 'spec.config.apiKeySecret',
            message: 'The openai provider needs a Secret name',
          });
          break;
        }
        if (c.apiKeySecret && !newSecrets.has(c.apiKeySecret) && !(await lookup.secretExists(c.apiKeySecret))) {
          issues.push({
            document,
            path: 'spec.config.apiKeySecret',
            message: 'No such Secret (declare it in this file)',
          });
          break;
        }
        const exists = await lookup.agentExists(m.metadata.name);
        if (!exists) newAgents.add(m.metadata.name);
        ops.push({
          op: exists ? 'agent.update' : 'agent.create',
          name: m.metadata.name,
          description,
          provider: c.provider,
          model: c.model,
          deployed: c.deployed,
          requireKey: c.requireKey,
          allowedOrigins: c.allowedOrigins,
          apiKeySecret: c.apiKeySecret,
        });
        break;
      }
      case 'SmarterAuthToken': {
        const c = m.spec.config;
        const user = c.user.toLowerCase();
        if (!newUsers.has(user) && !(await lookup.userExists(user))) {
          issues.push({ document, path: 'spec.config.user', message: 'No such user (declare a User in this file)' });
          break;
        }
        const missing: string[] = [];
        for (const agent of c.agents) {
          if (!newAgents.has(agent) && !(await lookup.agentExists(agent))) missing.push(agent);
        }
        if (missing.length > 0) {
          issues.push({ document, path: 'spec.config.agents', message: `${missing.length} agent(s) do not exist` });
          break;
        }
        if (!c.isActive) break; // an inactive token in a manifest declares nothing to create
        if (await lookup.keyExists(user, m.metadata.name)) {
          ops.push({ op: 'key.unchanged', user, name: m.metadata.name });
          break;
        }
        ops.push({
          op: 'key.create',
          user,
          name: m.metadata.name,
          description: c.description ?? description,
          scopes: c.scopes,
          expiresInMs: durationMs(c.expiresIn),
          agents: c.agents,
        });
        break;
      }
    }
  }
  if (issues.length > 0) throw new ManifestError(issues);
  return ops;
}

/** One line per operation for the CLI; secret values are never printed. */
export function describeOperation(op: ManifestOperation): string {
  switch (op.op) {
    case 'secret.create':
    case 'secret.update':
      return `${op.op === 'secret.create' ? 'create' : 'update'} secret ${op.name} (value ***)`;
    case 'user.create':
    case 'user.update':
      return `${op.op === 'user.create' ? 'create' : 'update'} user ${op.email} (${op.role}${op.active ? '' : ', inactive'})`;
    case 'agent.create':
    case 'agent.update':
      return `${op.op === 'agent.create' ? 'create' : 'update'} agent ${op.name} (${op.provider}${op.deployed ? ', deployed' : ''})`;
    case 'key.create':
      return `create key ${op.name} for ${op.user} (${op.scopes.length > 0 ? op.scopes.join(' ') : 'all scopes of the user'})`;
    case 'key.unchanged':
      return `keep key ${op.name} of ${op.user} (keys are created once)`;
  }
}

/** Executes operations (port); each method is implemented over the data and auth packages. */
export interface ManifestExecutor {
  run(op: Exclude<ManifestOperation, { op: 'key.unchanged' }>): Promise<{ readonly shownOnce?: string } | undefined>;
}

/** What {@link applyPlan} did, in order. `shownOnce` holds a created key, to print once. */
export interface AppliedOperation {
  readonly operation: ManifestOperation;
  readonly shownOnce?: Secret | undefined;
}

/**
 * Runs a plan in order through the executor; stops at the first failure (earlier operations stay applied, and a
 * second `apply` of the same file is idempotent).
 */
export async function applyPlan(
  ops: readonly ManifestOperation[],
  executor: ManifestExecutor,
): Promise<AppliedOperation[]> {
  const done: AppliedOperation[] = [];
  for (const op of ops) {
    if (op.op === 'key.unchanged') {
      done.push({ operation: op });
      continue;
    }
    const result = await executor.run(op);
    done.push({ operation: op, shownOnce: result?.shownOnce ? new Secret(result.shownOnce) : undefined });
  }
  return done;
}
