import { migrate } from '@smarter/data';
import { openBetterSqlite } from '@smarter/data/better-sqlite3';
import { Secret } from '@smarter/security';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { parseManifests } from '../manifests/parse.ts';
import { applyPlan, planApply } from '../manifests/plan.ts';
import { dataServices } from './data-services.ts';

const MANIFESTS = `apiVersion: smarter.sh/v1
kind: Secret
metadata:
  name: openai-key
spec:
  config:
    value: sk-manifest-SECRET-123456
---
apiVersion: smarter.sh/v1
kind: LLMClient
metadata:
  name: support-bot
spec:
  config:
    provider: openai
    deployed: true
    apiKeySecret: openai-key
---
apiVersion: smarter.sh/v1
kind: SmarterAuthToken
metadata:
  name: widget-key
spec:
  config:
    user: root@example.test
    scopes: [chat]
    agents: [support-bot]
`;

describe('apply -f over the data and auth packages', () => {
  it('creates secrets (encrypted), agents and a key shown once, then keeps everything on a second apply', async () => {
    const db = openBetterSqlite(':memory:');
    await migrate(db);
    const config = loadConfig({
      SMARTER_ENV: 'test',
      SMARTER_SECRET_KEYS: 'k1:0123456789abcdef0123456789abcdef0123456789',
    });
    const setup = dataServices(config, db);
    await setup.users.createSuperuser('root@example.test', new Secret('a long and unusual passphrase 42'));
    const data = dataServices(config, db, { owner: 'root@example.test' });
    const manifests = data.manifests;
    const first = await applyPlan(await planApply(parseManifests(MANIFESTS), manifests.lookup), manifests.executor);
    expect(first.map((d) => d.operation.op)).toEqual(['secret.create', 'agent.create', 'key.create']);
    const shown = first[2]?.shownOnce?.reveal() ?? '';
    expect(shown).toMatch(/^smk_/);
    const agents = await data.agents.list('root@example.test');
    expect(agents.map((a) => [a.name, a.deployed, a.provider])).toEqual([['support-bot', true, 'openai']]);
    // The secret is stored encrypted: its value is nowhere in the row.
    const rows = JSON.stringify(await db.orm.select().from((await import('@smarter/data')).sqliteSchema.secrets));
    expect(rows).toContain('openai-key');
    expect(rows).not.toContain('sk-manifest-SECRET-123456');
    const second = await applyPlan(await planApply(parseManifests(MANIFESTS), manifests.lookup), manifests.executor);
    expect(second.map((d) => d.operation.op)).toEqual(['secret.update', 'agent.update', 'key.unchanged']);
    expect(second.some((d) => d.shownOnce)).toBe(false);
    await data.flush();
    await setup.flush();
  });

  it('refuses to apply without --user', async () => {
    const db = openBetterSqlite(':memory:');
    await migrate(db);
    const config = loadConfig({
      SMARTER_ENV: 'test',
      SMARTER_SECRET_KEYS: 'k1:0123456789abcdef0123456789abcdef0123456789',
    });
    const data = dataServices(config, db);
    await expect(data.manifests.lookup.agentExists('x')).rejects.toMatchObject({ code: 'USER_REQUIRED' });
  });
});
