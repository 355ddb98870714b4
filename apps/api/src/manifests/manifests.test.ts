import { describe, expect, it } from 'vitest';
import { ManifestError } from './errors.ts';
import { parseManifests } from './parse.ts';
import { applyPlan, describeOperation, type ManifestLookup, type ManifestOperation, planApply } from './plan.ts';

const FILE = `
apiVersion: smarter.sh/v1
kind: SmarterAuthToken
metadata:
  name: widget-key
  description: Key for the website widget
spec:
  config:
    user: Ada@Example.com
    scopes: [chat]
    expiresIn: 90d
    agents: [support-bot]
---
apiVersion: smarter.sh/v1
kind: LLMClient
metadata:
  name: support-bot
  description: Answers customer questions
spec:
  config:
    provider: openai
    model: gpt-4o-mini
    deployed: true
    allowedOrigins: [https://www.example.com]
    apiKeySecret: openai-key
---
apiVersion: smarter.sh/v1
kind: User
metadata:
  name: ada
spec:
  config:
    email: ada@example.com
    firstName: Ada
    role: admin
---
apiVersion: smarter.sh/v1
kind: Secret
metadata:
  name: openai-key
spec:
  config:
    value: sk-manifest-SECRET-123456
`;

function lookup(
  existing: { users?: string[]; agents?: string[]; secrets?: string[]; keys?: string[] } = {},
): ManifestLookup {
  return {
    userExists: async (e) => existing.users?.includes(e) ?? false,
    agentExists: async (n) => existing.agents?.includes(n) ?? false,
    secretExists: async (n) => existing.secrets?.includes(n) ?? false,
    keyExists: async (u, n) => existing.keys?.includes(`${u}/${n}`) ?? false,
  };
}

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestError);
    return (error as ManifestError).lines();
  }
  throw new Error('expected a ManifestError');
}

async function asyncIssuesOf(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ManifestError);
  return (error as ManifestError).lines();
}

describe('parseManifests', () => {
  it('parses every kind with defaults', () => {
    const manifests = parseManifests(FILE);
    expect(manifests.map((m) => m.kind)).toEqual(['SmarterAuthToken', 'LLMClient', 'User', 'Secret']);
    const agent = manifests[1];
    expect(agent?.kind === 'LLMClient' && agent.spec.config.requireKey).toBe(true);
  });

  it('reports every invalid field with its document and path, without echoing values', () => {
    const lines = issuesOf(() =>
      parseManifests(`apiVersion: smarter.sh/v1
kind: User
metadata: { name: ada }
spec:
  config: { email: not-an-email-SECRETISH, role: superuser, shoeSize: 44 }
---
apiVersion: smarter.sh/v1
kind: LLMClient
metadata: { name: Bad_Name }
spec: { config: { provider: skynet } }
`),
    );
    expect(lines).toEqual([
      'document 1, spec.config.email: Must be a valid email',
      'document 1, spec.config.role: Must be one of: "admin", "member"',
      'document 1, spec.config: Has 1 unknown field',
      'document 2, metadata.name: Has an invalid format',
      'document 2, spec.config.provider: Must be one of: "echo", "openai"',
    ]);
    expect(lines.join('\n')).not.toMatch(/SECRETISH|skynet|shoeSize|Bad_Name/);
  });

  it('refuses wrong apiVersion and unknown kinds clearly', () => {
    expect(issuesOf(() => parseManifests('apiVersion: v1\nkind: User\n'))).toEqual([
      'document 1, apiVersion: Must be smarter.sh/v1',
    ]);
    expect(issuesOf(() => parseManifests('apiVersion: smarter.sh/v1\nkind: Plugin\n'))).toEqual([
      'document 1, kind: Must be one of: User, SmarterAuthToken, LLMClient, Secret',
    ]);
    expect(issuesOf(() => parseManifests('- a\n- b\n'))[0]).toContain('Expected a mapping');
    expect(issuesOf(() => parseManifests(''))).toEqual(['document 0: The file holds no manifest']);
  });

  it('reports YAML syntax errors with a line, and refuses duplicate keys and alias bombs', () => {
    const syntax = issuesOf(() => parseManifests('apiVersion: smarter.sh/v1\nkind: User\nmetadata: [unclosed\n'));
    expect(syntax[0]).toMatch(/^document 1 \(line \d+\): YAML syntax error/);
    expect(issuesOf(() => parseManifests('kind: User\nkind: Secret\n'))[0]).toContain('YAML syntax error');
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++)
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      );
    expect(issuesOf(() => parseManifests(bomb.join('\n')))[0]).toMatch(/aliases|YAML/);
    expect(issuesOf(() => parseManifests('x'.repeat(2_000_000)))[0]).toContain('larger than');
  });

  it('refuses deeply nested YAML as a syntax error (a 40 KB file of brackets used to kill the process)', () => {
    const deep = issuesOf(() => parseManifests(`${'['.repeat(20_000)}${']'.repeat(20_000)}`));
    expect(deep[0]).toMatch(/YAML syntax error \(RESOURCE_EXHAUSTION\)/);
    // A block scalar full of brackets is just text.
    const prompt = Array.from({ length: 70 }, () => '      answer with [ or {').join('\n');
    const manifest = `apiVersion: smarter.sh/v1\nkind: LLMClient\nmetadata: { name: helper }\nspec:\n  config:\n    provider: echo\n    systemPrompt: |\n${prompt}\n`;
    expect(issuesOf(() => parseManifests(manifest)).join('\n')).not.toMatch(/YAML syntax error/);
  });
});

describe('planApply', () => {
  it('orders operations so references resolve, and never exposes secret values', async () => {
    const ops = await planApply(parseManifests(FILE), lookup());
    expect(ops.map((o) => o.op)).toEqual(['secret.create', 'user.create', 'agent.create', 'key.create']);
    expect(ops.map(describeOperation)).toEqual([
      'create secret openai-key (value ***)',
      'create user ada@example.com (admin)',
      'create agent support-bot (openai, deployed)',
      'create key widget-key for ada@example.com (chat)',
    ]);
    expect(JSON.stringify(ops)).not.toContain('sk-manifest-SECRET');
    const secret = ops[0];
    expect(secret?.op === 'secret.create' && secret.value.reveal()).toBe('sk-manifest-SECRET-123456');
    const key = ops[3];
    expect(key?.op === 'key.create' && key.expiresInMs).toBe(90 * 86_400_000);
  });

  it('updates what exists and keeps existing keys unchanged', async () => {
    const ops = await planApply(
      parseManifests(FILE),
      lookup({
        users: ['ada@example.com'],
        agents: ['support-bot'],
        secrets: ['openai-key'],
        keys: ['ada@example.com/widget-key'],
      }),
    );
    expect(ops.map((o) => o.op)).toEqual(['secret.update', 'user.update', 'agent.update', 'key.unchanged']);
  });

  it('refuses dangling references and duplicates', async () => {
    const [token, agent] = FILE.split('---');
    expect(await asyncIssuesOf(planApply(parseManifests(`${token}---${agent}`), lookup()))).toEqual([
      'document 2, spec.config.apiKeySecret: No such Secret (declare it in this file)',
      'document 1, spec.config.user: No such user (declare a User in this file)',
    ]);
    const user = FILE.split('---')[2] ?? '';
    expect(await asyncIssuesOf(planApply(parseManifests(`${user}---${user}`), lookup()))).toEqual([
      'document 2, metadata.name: Declared twice in this file (User)',
    ]);
  });

  it('reads valueFromEnv secrets from the given environment only', async () => {
    const file =
      'apiVersion: smarter.sh/v1\nkind: Secret\nmetadata: {name: k}\nspec: {config: {valueFromEnv: OPENAI_KEY}}\n';
    expect(await asyncIssuesOf(planApply(parseManifests(file), lookup(), { env: {} }))).toEqual([
      'document 1, spec.config.valueFromEnv: The environment variable is not set',
    ]);
    const [op] = await planApply(parseManifests(file), lookup(), { env: { OPENAI_KEY: 'sk-env' } });
    expect(op?.op === 'secret.create' && op.value.reveal()).toBe('sk-env');
  });
});

describe('applyPlan', () => {
  it('runs operations in order through the executor and keeps created keys as Secrets', async () => {
    const ops = await planApply(parseManifests(FILE), lookup());
    const ran: ManifestOperation['op'][] = [];
    const done = await applyPlan(ops, {
      run: async (op) => {
        ran.push(op.op);
        return op.op === 'key.create' ? { shownOnce: 'smarter_new_key_value' } : undefined;
      },
    });
    expect(ran).toEqual(['secret.create', 'user.create', 'agent.create', 'key.create']);
    expect(done[3]?.shownOnce?.reveal()).toBe('smarter_new_key_value');
    expect(JSON.stringify(done)).not.toContain('smarter_new_key_value');
  });

  it('stops at the first failure', async () => {
    const ops = await planApply(parseManifests(FILE), lookup());
    const ran: string[] = [];
    await expect(
      applyPlan(ops, {
        run: async (op) => {
          ran.push(op.op);
          if (op.op === 'user.create') throw new Error('database down');
          return undefined;
        },
      }),
    ).rejects.toThrow('database down');
    expect(ran).toEqual(['secret.create', 'user.create']);
  });
});
