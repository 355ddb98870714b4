import { parseArgs } from 'node:util';
import { isSmarterError, Secret } from '@smarter/security';
import { loadConfig } from '../config/config.ts';
import { checkDeploy } from '../config/deploy-check.ts';
import { ManifestError } from '../manifests/errors.ts';
import { parseManifests } from '../manifests/parse.ts';
import { applyPlan, describeOperation, planApply } from '../manifests/plan.ts';
import { agentName, duration, durationMs, KEY_SCOPES } from '../openapi/schemas.ts';
import type { CliIo, CliServices } from './io.ts';

/** Exit codes: 0 done, 1 failed (e.g. a failing check), 2 usage error, 3 not available in this build. */
export const EXIT = { ok: 0, failed: 1, usage: 2, unavailable: 3 } as const;

type OptionSpec = { readonly type: 'string' | 'boolean'; readonly short?: string; readonly multiple?: boolean };

/** One CLI command (SPEC §21 names). */
export interface CliCommand {
  /** Words that select it, e.g. `['keys', 'create']`. */
  readonly path: readonly string[];
  readonly summary: string;
  /** Usage after `smarter <path>`. */
  readonly usage: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Number of positionals: [min, max]. */
  readonly positionals: readonly [number, number];
  run(args: CommandArgs, io: CliIo, services: CliServices): Promise<number>;
}

/** Parsed arguments of a command. */
export interface CommandArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

/** A usage error: printed with the command's usage, exit 2. */
export class UsageError extends Error {}

const str = (args: CommandArgs, name: string): string | undefined => {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
};
const flag = (args: CommandArgs, name: string): boolean => args.values[name] === true;
const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function unavailable(io: CliIo, what: string): number {
  io.stderr(
    `smarter ${what}: not available in this build yet (it needs the data and auth packages wired into the CLI).\n`,
  );
  return EXIT.unavailable;
}

const OAUTH_PROVIDERS = new Set(['google', 'github', 'linkedin']);

/** `--provider` and `--subject` (and `--user` when `withUser`), checked before anything is opened. */
function oauthLinkArgs(args: CommandArgs, withUser: boolean): { user: string; provider: string; subject: string } {
  const provider = str(args, 'provider') ?? '';
  const subject = str(args, 'subject') ?? '';
  const user = str(args, 'user')?.toLowerCase() ?? '';
  if (!OAUTH_PROVIDERS.has(provider)) throw new UsageError('--provider must be google, github or linkedin');
  // Provider account ids are opaque but short and printable (OpenID `sub` is at most 255 ASCII characters).
  if (!/^[\x21-\x7e]{1,255}$/.test(subject)) throw new UsageError('--subject must be the provider account id');
  if (withUser && !user) throw new UsageError('--user is required');
  return { user, provider, subject };
}

function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** `text` with the characters `escaped` selects written by `render` instead (one pass, no control-character regex). */
function escapeChars(text: string, escaped: (code: number) => boolean, render: (code: number) => string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    out += escaped(code) ? render(code) : ch;
  }
  return out;
}

const isC1 = (code: number) => code >= 0x7f && code <= 0x9f;

/**
 * A cell as it may reach a terminal: control characters (escape sequences from a journaled path such as
 * `/a%1b[31m`, which can recolour or rewrite the operator's screen) shown as `\xNN` instead.
 */
function printable(cell: string): string {
  return escapeChars(
    cell,
    (code) => code < 0x20 || isC1(code),
    (code) => `\\x${code.toString(16).padStart(2, '0')}`,
  );
}

/** One JSON line with the C1 control characters escaped too (`JSON.stringify` leaves U+0080–U+009F raw). */
function jsonLine(value: unknown): string {
  return escapeChars(JSON.stringify(value), isC1, (code) => `\\u${code.toString(16).padStart(4, '0')}`);
}

function table(rows: readonly (readonly string[])[]): string {
  rows = rows.map((r) => r.map(printable));
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return `${rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The command table (SPEC §21). */
export const COMMANDS: readonly CliCommand[] = [
  {
    path: ['migrate'],
    summary: 'Create or upgrade the database schema',
    usage: 'migrate',
    options: {},
    positionals: [0, 0],
    async run(_, io, services) {
      if (!services.migrate) return unavailable(io, 'migrate');
      const result = await services.migrate();
      io.stdout(`Database migrated (${result.driver}, schema ${result.schema ?? 'none'}).\n`);
      return EXIT.ok;
    },
  },
  {
    path: ['createsuperuser'],
    summary: 'Create the first administrator',
    usage: 'createsuperuser --email E [--password-stdin]',
    options: { email: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    positionals: [0, 0],
    async run(args, io, services) {
      const email = str(args, 'email');
      if (!email || !EMAIL.test(email)) throw new UsageError('--email must be an email address');
      if (!flag(args, 'password-stdin') && !io.prompt) {
        throw new UsageError('no terminal to ask for the password: pass --password-stdin and pipe it in');
      }
      if (!services.users) return unavailable(io, 'createsuperuser');
      let password: string;
      if (flag(args, 'password-stdin')) {
        password = (await io.readStdin()).replace(/\r?\n$/, '');
      } else if (io.prompt) {
        password = await io.prompt('Password: ', true);
        if ((await io.prompt('Password (again): ', true)) !== password) {
          io.stderr('The passwords do not match.\n');
          return EXIT.failed;
        }
      } else {
        throw new UsageError('no terminal to ask for the password: pass --password-stdin and pipe it in');
      }
      if (!password) throw new UsageError('the password is empty');
      const user = await services.users.createSuperuser(email.toLowerCase(), new Secret(password));
      io.stdout(`Superuser ${email.toLowerCase()} created (id ${user.id}). Sign in at / with this email.\n`);
      return EXIT.ok;
    },
  },
  {
    path: ['keys', 'create'],
    summary: 'Create an API key (printed once)',
    usage: 'keys create --user E --name N [--scopes a,b] [--expires-in 30d] [--agents a,b] [--json]',
    options: {
      user: { type: 'string' },
      name: { type: 'string' },
      scopes: { type: 'string' },
      'expires-in': { type: 'string' },
      agents: { type: 'string' },
      json: { type: 'boolean' },
    },
    positionals: [0, 0],
    async run(args, io, services) {
      const user = str(args, 'user');
      const name = str(args, 'name');
      if (!user || !EMAIL.test(user)) throw new UsageError('--user must be the email of the key owner');
      if (!name || name.length > 100) throw new UsageError('--name is required (at most 100 characters)');
      const scopes = list(str(args, 'scopes'));
      const unknown = scopes.filter((s) => !(KEY_SCOPES as readonly string[]).includes(s));
      if (unknown.length > 0) throw new UsageError(`unknown scope(s); use: ${KEY_SCOPES.join(', ')}`);
      const expiresIn = str(args, 'expires-in') ?? '365d';
      if (!duration.safeParse(expiresIn).success)
        throw new UsageError('--expires-in must look like 30d, 12h or 90m (at most 1095d)');
      const agents = list(str(args, 'agents'));
      if (agents.some((a) => !agentName.safeParse(a).success)) throw new UsageError('--agents must be agent names');
      if (!services.keys) return unavailable(io, 'keys create');
      const key = await services.keys.create({
        user: user.toLowerCase(),
        name,
        scopes,
        expiresInMs: durationMs(expiresIn),
        agents,
      });
      if (flag(args, 'json')) {
        printJson(io, {
          id: key.id,
          key: key.key.reveal(),
          name: key.name,
          scopes: key.scopes,
          expiresAt: key.expiresAt,
        });
      } else {
        io.stdout(
          `Key ${key.name} (${key.id}) created. Copy it now, it is not shown again:\n\n  ${key.key.reveal()}\n\n`,
        );
      }
      return EXIT.ok;
    },
  },
  {
    path: ['keys', 'list'],
    summary: 'List API keys (never their secret)',
    usage: 'keys list [--user E] [--json]',
    options: { user: { type: 'string' }, json: { type: 'boolean' } },
    positionals: [0, 0],
    async run(args, io, services) {
      if (!services.keys) return unavailable(io, 'keys list');
      const keys = await services.keys.list(str(args, 'user')?.toLowerCase());
      if (flag(args, 'json')) printJson(io, { keys });
      else
        io.stdout(
          table([
            ['ID', 'NAME', 'USER', 'KEY', 'SCOPES', 'EXPIRES', 'ACTIVE'],
            ...keys.map((k) => [
              k.id,
              k.name,
              k.user,
              `****${k.lastFour}`,
              k.scopes.join(',') || '-',
              k.expiresAt,
              k.active ? 'yes' : 'no',
            ]),
          ]),
        );
      return EXIT.ok;
    },
  },
  {
    path: ['keys', 'revoke'],
    summary: 'Revoke an API key, effective at once',
    usage: 'keys revoke ID',
    options: {},
    positionals: [1, 1],
    async run(args, io, services) {
      const id = args.positionals[0] ?? '';
      if (!/^[A-Za-z0-9_-]{4,64}$/.test(id)) throw new UsageError('ID must be a key id (see keys list)');
      if (!services.keys) return unavailable(io, 'keys revoke');
      if (!(await services.keys.revoke(id))) {
        io.stderr('No active key with this id.\n');
        return EXIT.failed;
      }
      io.stdout(`Key ${id} revoked.\n`);
      return EXIT.ok;
    },
  },
  {
    path: ['oauth', 'links'],
    summary: "List a user's OAuth links (provider accounts that sign in as them)",
    usage: 'oauth links --user E [--json]',
    options: { user: { type: 'string' }, json: { type: 'boolean' } },
    positionals: [0, 0],
    async run(args, io, services) {
      const user = str(args, 'user')?.toLowerCase();
      if (!user) throw new UsageError('--user is required');
      if (!services.oauthLinks) return unavailable(io, 'oauth links');
      const links = await services.oauthLinks.list(user);
      if (flag(args, 'json')) printJson(io, { links });
      else
        io.stdout(
          table([
            ['PROVIDER', 'SUBJECT', 'USER', 'LINKED'],
            ...links.map((l) => [l.provider, l.subject, l.user, l.createdAt]),
          ]),
        );
      return EXIT.ok;
    },
  },
  {
    path: ['oauth', 'link'],
    summary: 'Link a provider account to a user (the only way an admin or superuser signs in with OAuth)',
    usage: 'oauth link --user E --provider google|github|linkedin --subject ID',
    options: { user: { type: 'string' }, provider: { type: 'string' }, subject: { type: 'string' } },
    positionals: [0, 0],
    async run(args, io, services) {
      const { user, provider, subject } = oauthLinkArgs(args, true);
      if (!services.oauthLinks) return unavailable(io, 'oauth link');
      await services.oauthLinks.link({ user, provider, subject });
      io.stdout(`Linked ${provider} account ${subject} to ${user}.\n`);
      return EXIT.ok;
    },
  },
  {
    path: ['oauth', 'unlink'],
    summary: "Remove a provider account's link, effective at the next sign-in",
    usage: 'oauth unlink --provider google|github|linkedin --subject ID',
    options: { provider: { type: 'string' }, subject: { type: 'string' } },
    positionals: [0, 0],
    async run(args, io, services) {
      const { provider, subject } = oauthLinkArgs(args, false);
      if (!services.oauthLinks) return unavailable(io, 'oauth unlink');
      if (!(await services.oauthLinks.unlink(provider, subject))) {
        io.stderr('No link for this provider account.\n');
        return EXIT.failed;
      }
      io.stdout(`Unlinked ${provider} account ${subject}.\n`);
      return EXIT.ok;
    },
  },
  {
    path: ['agents', 'create'],
    summary: 'Create an agent',
    usage: 'agents create NAME --user E [--provider echo|openai] [--model M] [--deploy]',
    options: {
      user: { type: 'string' },
      provider: { type: 'string' },
      model: { type: 'string' },
      deploy: { type: 'boolean' },
    },
    positionals: [1, 1],
    async run(args, io, services) {
      const name = args.positionals[0] ?? '';
      if (!agentName.safeParse(name).success) throw new UsageError('NAME must be a DNS label (a-z, 0-9, -)');
      const provider = str(args, 'provider') ?? 'echo';
      if (provider !== 'echo' && provider !== 'openai') throw new UsageError('--provider must be echo or openai');
      const user = str(args, 'user');
      if (!user || !EMAIL.test(user)) throw new UsageError('--user must be the email of a user of the account');
      if (!services.agents) return unavailable(io, 'agents create');
      const agent = await services.agents.create({
        user: user.toLowerCase(),
        name,
        provider,
        model: str(args, 'model'),
        deployed: flag(args, 'deploy'),
      });
      io.stdout(`Agent ${agent.name} created${agent.deployed ? ` and deployed on ${agent.hostname}` : ''}.\n`);
      return EXIT.ok;
    },
  },
  {
    path: ['agents', 'list'],
    summary: 'List agents',
    usage: 'agents list --user E [--json]',
    options: { user: { type: 'string' }, json: { type: 'boolean' } },
    positionals: [0, 0],
    async run(args, io, services) {
      const user = str(args, 'user');
      if (!user || !EMAIL.test(user)) throw new UsageError('--user must be the email of a user of the account');
      if (!services.agents) return unavailable(io, 'agents list');
      const agents = await services.agents.list(user.toLowerCase());
      if (flag(args, 'json')) printJson(io, { agents });
      else
        io.stdout(
          table([
            ['NAME', 'HOSTNAME', 'PROVIDER', 'MODEL', 'DEPLOYED'],
            ...agents.map((a) => [a.name, a.hostname, a.provider, a.model, a.deployed ? 'yes' : 'no']),
          ]),
        );
      return EXIT.ok;
    },
  },
  {
    path: ['agents', 'deploy'],
    summary: 'Deploy (or --undeploy) an agent on its own host',
    usage: 'agents deploy NAME --user E [--undeploy]',
    options: { user: { type: 'string' }, undeploy: { type: 'boolean' } },
    positionals: [1, 1],
    async run(args, io, services) {
      const name = args.positionals[0] ?? '';
      if (!agentName.safeParse(name).success) throw new UsageError('NAME must be an agent name');
      const user = str(args, 'user');
      if (!user || !EMAIL.test(user)) throw new UsageError('--user must be the email of a user of the account');
      if (!services.agents) return unavailable(io, 'agents deploy');
      const agent = await services.agents.deploy(user.toLowerCase(), name, !flag(args, 'undeploy'));
      if (!agent) {
        io.stderr('No agent with this name.\n');
        return EXIT.failed;
      }
      io.stdout(agent.deployed ? `Agent ${name} answers on ${agent.hostname}.\n` : `Agent ${name} undeployed.\n`);
      return EXIT.ok;
    },
  },
  {
    path: ['journal', 'tail'],
    summary: 'Print the latest journal events',
    usage: 'journal tail [--limit N] [--type T] [--json]',
    options: { limit: { type: 'string' }, type: { type: 'string' }, json: { type: 'boolean' } },
    positionals: [0, 0],
    async run(args, io, services) {
      const limit = Number(str(args, 'limit') ?? '50');
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be 1 to 1000');
      if (!services.journal) return unavailable(io, 'journal tail');
      const events = await services.journal.tail({ limit, type: str(args, 'type') });
      if (flag(args, 'json')) for (const e of events) io.stdout(`${jsonLine(e)}\n`);
      else
        io.stdout(
          table([
            ['TIME', 'SEVERITY', 'TYPE', 'PRINCIPAL', 'PATH', 'REASON'],
            ...events.map((e) => [e.time, e.severity, e.type, e.principal ?? '-', e.path ?? '-', e.reason ?? '-']),
          ]),
        );
      return EXIT.ok;
    },
  },
  {
    path: ['journal', 'verify'],
    summary: 'Verify the journal hash chain (tampering shows)',
    usage: 'journal verify',
    options: {},
    positionals: [0, 0],
    async run(_, io, services) {
      if (!services.journal) return unavailable(io, 'journal verify');
      const result = await services.journal.verify();
      if (result.ok) {
        io.stdout(`Journal intact: ${result.checked} events verified.\n`);
        return EXIT.ok;
      }
      io.stderr(`Journal chain broken at event ${result.brokenAt ?? '?'} (${result.checked} verified before it).\n`);
      return EXIT.failed;
    },
  },
  {
    path: ['check'],
    summary: 'Check the configuration for production (--deploy)',
    usage: 'check --deploy [--json]',
    options: { deploy: { type: 'boolean' }, json: { type: 'boolean' } },
    positionals: [0, 0],
    async run(args, io) {
      if (!flag(args, 'deploy')) throw new UsageError('only "check --deploy" exists');
      const config = loadConfig(io.env, { enforceDeployChecks: false });
      const items = checkDeploy(config);
      const failed = items.filter((i) => !i.ok && i.severity === 'error');
      if (flag(args, 'json')) {
        printJson(io, { ok: failed.length === 0, items });
      } else {
        for (const i of items) {
          const status = i.ok ? 'PASS' : i.severity === 'error' ? 'FAIL' : 'WARN';
          io.stdout(`${status}  ${i.id.padEnd(26)} ${i.title}${i.ok ? '' : `\n      → ${i.fix}`}\n`);
        }
        const warnings = items.filter((i) => !i.ok && i.severity === 'warning').length;
        io.stdout(
          `\n${failed.length} failed, ${warnings} warning(s), ${items.length - failed.length - warnings} passed.\n`,
        );
      }
      return failed.length === 0 ? EXIT.ok : EXIT.failed;
    },
  },
  {
    path: ['apply'],
    summary: 'Apply Smarter manifests (apiVersion smarter.sh/v1)',
    usage: 'apply -f manifest.yaml --user E [--dry-run]',
    options: { file: { type: 'string', short: 'f' }, user: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    positionals: [0, 0],
    async run(args, io, services) {
      const file = str(args, 'file');
      if (!file) throw new UsageError('-f FILE is required');
      let text: string;
      try {
        text = await io.readFile(file);
      } catch {
        io.stderr(`Cannot read ${file}.\n`);
        return EXIT.failed;
      }
      try {
        const manifests = parseManifests(text);
        if (!services.manifests) {
          io.stdout(
            `${manifests.length} valid manifest(s): ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}\n`,
          );
          if (flag(args, 'dry-run')) return EXIT.ok;
          return unavailable(io, 'apply');
        }
        const plan = await planApply(manifests, services.manifests.lookup, { env: io.env });
        for (const op of plan) io.stdout(`${flag(args, 'dry-run') ? 'would ' : ''}${describeOperation(op)}\n`);
        if (flag(args, 'dry-run')) return EXIT.ok;
        const done = await applyPlan(plan, services.manifests.executor);
        for (const d of done) {
          if (d.shownOnce)
            io.stdout(
              `\nKey ${'name' in d.operation ? d.operation.name : ''} (copy it now, it is not shown again):\n  ${d.shownOnce.reveal()}\n`,
            );
        }
        io.stdout(`Applied ${done.length} operation(s).\n`);
        return EXIT.ok;
      } catch (error) {
        if (error instanceof ManifestError) {
          io.stderr(
            `${file} is invalid:\n${error
              .lines()
              .map((l) => `  ${l}`)
              .join('\n')}\n`,
          );
          return EXIT.failed;
        }
        throw error;
      }
    },
  },
];

/** The usage text of the whole CLI. */
export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return `Usage: smarter <command>\n\nCommands:\n${COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`).join('\n')}\n\nEnvironment: SMARTER_* (see README). Exit codes: 0 ok, 1 failed, 2 usage, 3 not available.\n`;
}

/**
 * Runs the CLI: finds the command, parses its options strictly, runs it. Never prints a stack trace: unexpected
 * errors print their stable code only.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), io, services);
 */
export async function runCli(argv: readonly string[], io: CliIo, services: CliServices): Promise<number> {
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    (argv.length === 0 ? io.stderr : io.stdout)(usage());
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  const command = [...COMMANDS]
    .sort((a, b) => b.path.length - a.path.length)
    .find((c) => c.path.every((word, i) => argv[i] === word));
  if (!command) {
    io.stderr(`Unknown command "${argv.slice(0, 2).join(' ')}".\n\n${usage()}`);
    return EXIT.usage;
  }
  const rest = argv.slice(command.path.length);
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`Usage: smarter ${command.usage}\n${command.summary}\n`);
      return EXIT.ok;
    }
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: [...rest], options: command.options as never, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError((error as Error).message.split('\n')[0] ?? 'invalid arguments');
    }
    const [min, max] = command.positionals;
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw new UsageError(
        max === 0
          ? 'this command takes no positional arguments'
          : `expected ${min === max ? min : `${min} to ${max}`} argument(s)`,
      );
    }
    return await command.run(
      { values: parsed.values as CommandArgs['values'], positionals: parsed.positionals },
      io,
      services,
    );
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`smarter ${command.path.join(' ')}: ${error.message}\nUsage: smarter ${command.usage}\n`);
      return EXIT.usage;
    }
    if (isSmarterError(error)) {
      io.stderr(
        `smarter ${command.path.join(' ')}: ${error.message}${error.code === 'CONFIG_INVALID' ? '' : ` (${error.code})`}\n`,
      );
      return EXIT.failed;
    }
    io.stderr(
      `smarter ${command.path.join(' ')}: failed (${(error as Error)?.name ?? 'Error'}). Check the server logs and the configuration.\n`,
    );
    return EXIT.failed;
  }
}
