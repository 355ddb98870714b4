import { Secret } from '@smarter/security';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import type { ManifestOperation } from '../manifests/plan.ts';
import { COMMANDS, EXIT, runCli } from './commands.ts';
import type { CliIo, CliServices } from './io.ts';

const STRONG = 'k1:9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddccbbaa';

function harness(env: Record<string, string> = {}, files: Record<string, string> = {}, stdin = '') {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    readStdin: async () => stdin,
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT ${path}`);
      return text;
    },
    env,
  };
  return { io, out: () => out, err: () => err };
}

const bare: CliServices = { config: () => loadConfig({}) };

describe('runCli', () => {
  it('has the SPEC §21 command table (and the OAuth link commands)', () => {
    expect(COMMANDS.map((c) => c.path.join(' '))).toEqual([
      'migrate',
      'createsuperuser',
      'keys create',
      'keys list',
      'keys revoke',
      'oauth links',
      'oauth link',
      'oauth unlink',
      'agents create',
      'agents list',
      'agents deploy',
      'journal tail',
      'journal verify',
      'check',
      'apply',
    ]);
  });

  it('prints usage without a command (exit 2) and with help (exit 0)', async () => {
    const h = harness();
    expect(await runCli([], h.io, bare)).toBe(EXIT.usage);
    expect(h.err()).toContain('keys create --user E --name N');
    const help = harness();
    expect(await runCli(['help'], help.io, bare)).toBe(EXIT.ok);
    expect(help.out()).toContain('check --deploy');
  });

  it.each([
    [['nope'], 'Unknown command'],
    [['keys', 'create', '--user', 'ada@example.com'], '--name is required'],
    [['keys', 'create', '--user', 'ada@example.com', '--name', 'ci', '--scopes', 'root'], 'unknown scope'],
    [['keys', 'create', '--user', 'ada@example.com', '--name', 'ci', '--expires-in', '5y'], '--expires-in'],
    [['keys', 'create', '--usr', 'x'], "Unknown option '--usr'"],
    [['keys', 'revoke'], 'expected 1 argument'],
    [['agents', 'create', 'Bad_Name'], 'DNS label'],
    [['agents', 'create', 'bot'], '--user must be the email'],
    [['check'], 'only "check --deploy" exists'],
    [['apply'], '-f FILE is required'],
    [['createsuperuser', '--email', 'ada@example.com'], '--password-stdin'],
  ])('answers a usage error for %j', async (argv, message) => {
    const h = harness();
    expect(await runCli(argv, h.io, bare)).toBe(EXIT.usage);
    expect(h.err()).toContain(message);
    expect(h.out()).toBe('');
  });

  it('says clearly when a command needs services not wired yet (exit 3)', async () => {
    const h = harness();
    expect(await runCli(['keys', 'list'], h.io, bare)).toBe(EXIT.unavailable);
    expect(h.err()).toContain('not available in this build yet');
  });

  it('check --deploy prints the checklist and exits 1 on failures, 0 when clean', async () => {
    const bad = harness({ SMARTER_ENV: 'production', SMARTER_DEBUG: '1' });
    expect(await runCli(['check', '--deploy'], bad.io, bare)).toBe(EXIT.failed);
    expect(bad.out()).toContain('FAIL  secret_keys.set');
    expect(bad.out()).toContain('FAIL  debug.off');
    expect(bad.out()).toContain('→ unset SMARTER_DEBUG');
    expect(bad.out()).toMatch(/\n\d+ failed, \d+ warning\(s\), \d+ passed\.\n$/);

    const good = harness({
      SMARTER_ENV: 'production',
      SMARTER_SECRET_KEYS: STRONG,
      SMARTER_ALLOWED_HOSTS: 'platform.example.com',
      SMARTER_PUBLIC_URL: 'https://platform.example.com',
      SMARTER_API_DOMAIN: 'api.example.com',
    });
    expect(await runCli(['check', '--deploy', '--json'], good.io, bare)).toBe(EXIT.ok);
    const report = JSON.parse(good.out());
    expect(report.ok).toBe(true);
    expect(report.items.every((i: { ok: boolean }) => i.ok)).toBe(true);
    expect(good.out()).not.toContain('9f8e7d6c');
  });

  it('reports a bad configuration without a stack trace', async () => {
    const h = harness({ SMARTER_ALOWED_HOSTS: 'x' });
    expect(await runCli(['check', '--deploy'], h.io, bare)).toBe(EXIT.failed);
    expect(h.err()).toContain('Did you mean SMARTER_ALLOWED_HOSTS?');
    expect(h.err()).not.toMatch(/\s+at\s/);
  });

  it('keys create --json prints the key once as JSON {id, key, …}', async () => {
    const calls: unknown[] = [];
    const services: CliServices = {
      ...bare,
      keys: {
        create: async (input) => {
          calls.push(input);
          return {
            id: 'k_1',
            key: new Secret('smarter_k_1_secret'),
            name: input.name,
            scopes: input.scopes,
            expiresAt: '2026-12-29T00:00:00.000Z',
          };
        },
        list: async () => [],
        revoke: async () => true,
      },
    };
    const h = harness();
    const code = await runCli(
      [
        'keys',
        'create',
        '--user',
        'Ada@Example.com',
        '--name',
        'ci',
        '--scopes',
        'chat,agents:read',
        '--expires-in',
        '30d',
        '--json',
      ],
      h.io,
      services,
    );
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(h.out())).toEqual({
      id: 'k_1',
      key: 'smarter_k_1_secret',
      name: 'ci',
      scopes: ['chat', 'agents:read'],
      expiresAt: '2026-12-29T00:00:00.000Z',
    });
    expect(calls).toEqual([
      {
        user: 'ada@example.com',
        name: 'ci',
        scopes: ['chat', 'agents:read'],
        expiresInMs: 30 * 86_400_000,
        agents: [],
      },
    ]);
  });

  it('createsuperuser reads the password from stdin', async () => {
    const created: [string, string][] = [];
    const services: CliServices = {
      ...bare,
      users: {
        createSuperuser: async (email, password) => {
          created.push([email, password.reveal()]);
          return { id: 'u1' };
        },
      },
    };
    const h = harness({}, {}, 'correct horse battery staple\n');
    expect(await runCli(['createsuperuser', '--email', 'Ada@Example.com', '--password-stdin'], h.io, services)).toBe(
      EXIT.ok,
    );
    expect(created).toEqual([['ada@example.com', 'correct horse battery staple']]);
    expect(h.out()).not.toContain('correct horse');
  });

  const MANIFEST = `apiVersion: smarter.sh/v1
kind: LLMClient
metadata: { name: support-bot }
spec: { config: { deployed: true } }
`;

  it('apply -f validates, plans and executes through the ports', async () => {
    const ran: ManifestOperation['op'][] = [];
    const services: CliServices = {
      ...bare,
      manifests: {
        lookup: {
          userExists: async () => false,
          agentExists: async () => false,
          secretExists: async () => false,
          keyExists: async () => false,
        },
        executor: {
          run: async (op) => {
            ran.push(op.op);
            return undefined;
          },
        },
      },
    };
    const dry = harness({}, { 'm.yaml': MANIFEST });
    expect(await runCli(['apply', '-f', 'm.yaml', '--dry-run'], dry.io, services)).toBe(EXIT.ok);
    expect(dry.out()).toBe('would create agent support-bot (echo, deployed)\n');
    expect(ran).toEqual([]);
    const real = harness({}, { 'm.yaml': MANIFEST });
    expect(await runCli(['apply', '-f', 'm.yaml'], real.io, services)).toBe(EXIT.ok);
    expect(ran).toEqual(['agent.create']);
  });

  it('apply -f prints field paths for invalid manifests and exits 1', async () => {
    const h = harness(
      {},
      { 'bad.yaml': MANIFEST.replace('support-bot', 'Support_Bot').replace('smarter.sh/v1', 'smarter.sh/v1') },
    );
    expect(await runCli(['apply', '-f', 'bad.yaml'], h.io, bare)).toBe(EXIT.failed);
    expect(h.err()).toBe('bad.yaml is invalid:\n  document 1, metadata.name: Has an invalid format\n');
    const missing = harness();
    expect(await runCli(['apply', '-f', 'nope.yaml'], missing.io, bare)).toBe(EXIT.failed);
    expect(missing.err()).toBe('Cannot read nope.yaml.\n');
  });

  it('apply without wired ports validates only, and says so', async () => {
    const h = harness({}, { 'm.yaml': MANIFEST });
    expect(await runCli(['apply', '-f', 'm.yaml'], h.io, bare)).toBe(EXIT.unavailable);
    expect(h.out()).toBe('1 valid manifest(s): LLMClient/support-bot\n');
  });
});
