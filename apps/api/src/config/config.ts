import { Secret, SmarterConfigError } from '@smarter/security';
import { z } from 'zod';
import { checkDeploy } from './deploy-check.ts';
import { OAUTH_VARIABLES, type OAuthClientConfig, parseOAuth } from './oauth.ts';
import { editDistance, parseBoolean, parseHost, parseOrigin, parseTrustedProxy, splitList } from './parse.ts';
import { parsePublicUrl } from './public-url.ts';
import { readSecretKeys, readShardKey } from './secret-keys.ts';

/** Where the reference server runs. */
export type SmarterEnv = 'development' | 'test' | 'production';

/** Log levels, most verbose first; `silent` prints nothing. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Logging settings (`SMARTER_LOG_LEVEL`, `SMARTER_LOG_FORMAT`, `SMARTER_LOG_LEVELS`). */
export interface LogConfig {
  readonly level: LogLevel;
  /** `json` lines, or `pretty` for a terminal. @default 'pretty' in development, 'json' otherwise */
  readonly format: 'json' | 'pretty';
  /** Per-component levels, e.g. `SMARTER_LOG_LEVELS=http=warn,journal=info`. */
  readonly components: Readonly<Record<string, LogLevel>>;
}

/** Which store backs counters and bans, and how many instances share it (SPEC §20). */
export interface StoreConfig {
  readonly kind: 'memory' | 'redis' | 'sql';
  /** Number of server instances (`SMARTER_INSTANCES`); memory stores are per instance. @default 1 */
  readonly instances: number;
}

/**
 * Where emails (password-reset and new-user links) go: `smtp` sends them through `SMARTER_SMTP_URL` (Node, Bun and
 * Deno), `console` prints them to the log (development; links are masked there outside development, so a production
 * log never holds a token), `off` sends none. A sender passed as `email` to `startApp` wins over this setting.
 */
export type EmailSetting = 'console' | 'smtp' | 'off';

/** The mail server of `SMARTER_EMAIL=smtp`: `SMARTER_SMTP_URL` (it may hold a password) and `SMARTER_EMAIL_FROM`. */
export interface SmtpConfig {
  /** `smtp://` (STARTTLS, port 587 by default) or `smtps://` (implicit TLS, 465), with `user:password@` if any. */
  readonly url: Secret;
  /** The sender address of every email, e.g. `Smarter <no-reply@example.com>`. */
  readonly from: string;
}

/** Chat provider defaults for new agents (`SMARTER_LLM_*`). */
export interface ProviderConfig {
  readonly name: 'echo' | 'openai';
  readonly baseUrl: string | undefined;
  readonly model: string | undefined;
  readonly apiKey: Secret | undefined;
}

/** Upload storage (`SMARTER_UPLOAD_STORAGE`, `SMARTER_S3_*`). */
export interface UploadConfig {
  readonly storage: 'filesystem' | 's3';
  readonly maxFileBytes: number;
  readonly s3:
    | {
        readonly endpoint: string;
        readonly bucket: string;
        readonly region: string;
        readonly accessKeyId: string;
        readonly secretAccessKey: Secret;
      }
    | undefined;
}

/** The effective configuration of the reference server (SPEC §20, §21 names). */
export interface AppConfig {
  readonly env: SmarterEnv;
  /** Verbose errors for developers (`SMARTER_DEBUG`); refused in production. */
  readonly debug: boolean;
  /** SQLite path or `postgres://…` (may hold a password: log it through `maskUrl`). */
  readonly databaseUrl: string;
  /**
   * `SMARTER_SECRET_KEYS` entries as given (comma separated, first signs; an optional `id:` prefix names a key for
   * `@smarter/auth`'s key ring). Never log the config object except through the redacting logger.
   */
  readonly secretKeys: readonly string[];
  /** True when no key was configured and a random one was made for this process (development only, SPEC §17). */
  readonly secretKeysGenerated: boolean;
  readonly allowedHosts: readonly string[];
  readonly apiDomain: string | undefined;
  /** CIDRs or preset names of trusted proxies (`SMARTER_TRUSTED_PROXIES`), or a hop count. */
  readonly trustedProxies: readonly string[] | number;
  readonly corsOrigins: readonly string[];
  readonly csrfTrustedOrigins: readonly string[];
  readonly staticRoot: string | undefined;
  /** URL prefix of static files, with leading and trailing slash. @default '/static/' */
  readonly staticUrl: string;
  readonly mediaRoot: string;
  readonly redisUrl: Secret | undefined;
  /** Session and signed cookies carry `Secure`. @default true, except in development */
  readonly cookieSecure: boolean;
  /**
   * HSTS max-age in seconds, sent with `includeSubDomains` on https responses. 0 turns HSTS off: the header says
   * `max-age=0`, so browsers that kept an earlier policy drop it. @default 31536000
   */
  readonly hstsSeconds: number;
  /** Adds `preload` (only once the domain is submitted to the preload list); needs a year or more. @default false */
  readonly hstsPreload: boolean;
  /** Redirect http to https (`SMARTER_SECURE_REDIRECT`). @default true in production */
  readonly secureRedirect: boolean;
  /** General API rate limit per client (`SMARTER_RATE_LIMIT` = `limit/seconds` or `off`). @default 600 per 60 s */
  readonly rateLimit: { readonly limit: number; readonly windowMs: number } | undefined;
  /**
   * Forgotten-password requests per client (`SMARTER_RESET_EMAIL_LIMIT` = `limit/seconds` or `off`): each may send an
   * email, so far fewer than API calls. @default 5 per 900 s
   */
  readonly resetEmailLimit: { readonly limit: number; readonly windowMs: number } | undefined;
  /**
   * Users an account's admins may add (`SMARTER_INVITE_LIMIT` = `limit/seconds` or `off`), counted per account over
   * every `POST /api/v1/users`: each may email an invitation, and each tells whether an address is taken, so neither
   * mail nor address probing runs at the API's pace. @default 20 per 3,600 s
   */
  readonly inviteLimit: { readonly limit: number; readonly windowMs: number } | undefined;
  readonly store: StoreConfig;
  readonly log: LogConfig;
  readonly provider: ProviderConfig;
  readonly uploads: UploadConfig;
  /**
   * Test-only bootstrap token (`SMARTER_BOOTSTRAP_TOKEN`): `POST /api/v1/bootstrap` with it creates the first
   * superuser over HTTP (conformance runs on workerd/D1 have no CLI). Honoured only when `SMARTER_ENV=test`;
   * refused at boot in any other environment.
   */
  readonly bootstrapToken: Secret | undefined;
  /**
   * Key of the Durable Object store's shard choice on Workers (`SMARTER_STORE_SHARD_KEY`): with it, a client's
   * counters and bans stay in the same objects when `SMARTER_SECRET_KEYS` rotates. Without it the choice is keyed by
   * the signing key, and putting a new key first moves every client to other objects (counters and bans restart).
   * Unused on the other runtimes.
   */
  readonly storeShardKey: Secret | undefined;
  /** OAuth login providers (`SMARTER_OAUTH_<GOOGLE|GITHUB|LINKEDIN>_*`); the workbench shows only these. @default [] */
  readonly oauth: readonly OAuthClientConfig[];
  /**
   * Origin of emailed links (`SMARTER_PUBLIC_URL`), on one of the answered hosts; never taken from a request.
   * Without it (production default) the server sends no password-reset or new-user links.
   * @default `http://localhost:<PORT or 8787>` outside production, none in production
   */
  readonly publicUrl: string | undefined;
  /** `SMARTER_EMAIL`. @default 'smtp' when `SMARTER_SMTP_URL` is set, else 'console' outside production, 'off' in it */
  readonly email: EmailSetting;
  /** The mail server, with `SMARTER_EMAIL=smtp`. */
  readonly smtp: SmtpConfig | undefined;
}

const LEVEL = z.enum(LOG_LEVELS);

const schema = z.object({
  SMARTER_ENV: z.enum(['development', 'test', 'production']).default('development'),
  SMARTER_DEBUG: z.string().optional(),
  SMARTER_DATABASE_URL: z.string().min(1).default('./data/smarter.sqlite3'),
  SMARTER_SECRET_KEYS: z.string().optional(),
  SMARTER_ALLOWED_HOSTS: z.string().default(''),
  SMARTER_API_DOMAIN: z.string().optional(),
  SMARTER_TRUSTED_PROXIES: z.string().optional(),
  SMARTER_CORS_ORIGINS: z.string().optional(),
  SMARTER_CSRF_TRUSTED_ORIGINS: z.string().optional(),
  SMARTER_STATIC_ROOT: z.string().optional(),
  SMARTER_STATIC_URL: z
    .string()
    .regex(/^\/(?:[a-z0-9._-]+\/)*$/i)
    .default('/static/'),
  SMARTER_MEDIA_ROOT: z.string().min(1).default('./data/media'),
  SMARTER_REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//i)
    .optional(),
  SMARTER_COOKIE_SECURE: z.string().optional(),
  SMARTER_HSTS_SECONDS: z
    .string()
    .regex(/^\d{1,9}$/)
    .optional(),
  SMARTER_HSTS_PRELOAD: z.string().optional(),
  SMARTER_SECURE_REDIRECT: z.string().optional(),
  SMARTER_RATE_LIMIT: z
    .string()
    .regex(/^(?:off|[1-9]\d{0,6}\/[1-9]\d{0,5})$/)
    .default('600/60'),
  SMARTER_RESET_EMAIL_LIMIT: z
    .string()
    .regex(/^(?:off|[1-9]\d{0,6}\/[1-9]\d{0,5})$/)
    .default('5/900'),
  SMARTER_INVITE_LIMIT: z
    .string()
    .regex(/^(?:off|[1-9]\d{0,6}\/[1-9]\d{0,5})$/)
    .default('20/3600'),
  SMARTER_STORE: z.enum(['memory', 'redis', 'sql']).optional(),
  SMARTER_INSTANCES: z
    .string()
    .regex(/^[1-9]\d{0,3}$/)
    .default('1'),
  SMARTER_LOG_LEVEL: LEVEL.optional(),
  SMARTER_LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  SMARTER_LOG_LEVELS: z.string().optional(),
  SMARTER_LLM_PROVIDER: z.enum(['echo', 'openai']).default('echo'),
  SMARTER_LLM_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  SMARTER_LLM_MODEL: z.string().min(1).max(200).optional(),
  SMARTER_LLM_API_KEY: z.string().min(1).optional(),
  SMARTER_UPLOAD_STORAGE: z.enum(['filesystem', 's3']).default('filesystem'),
  SMARTER_UPLOAD_MAX_FILE_BYTES: z
    .string()
    .regex(/^\d{1,10}$/)
    .optional(),
  SMARTER_S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  SMARTER_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)
    .optional(),
  SMARTER_S3_REGION: z.string().min(1).default('us-east-1'),
  SMARTER_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  SMARTER_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  SMARTER_BOOTSTRAP_TOKEN: z.string().min(32).max(200).optional(),
  // Printable ASCII without spaces or commas, 32 characters or more (for example: openssl rand -hex 32).
  SMARTER_STORE_SHARD_KEY: z
    .string()
    .regex(/^[\x21-\x2b\x2d-\x7e]{32,200}$/)
    .optional(),
  SMARTER_PUBLIC_URL: z.string().max(300).optional(),
  SMARTER_EMAIL: z.enum(['console', 'smtp', 'off']).optional(),
  SMARTER_SMTP_URL: z
    .string()
    .max(500)
    .regex(/^smtps?:\/\//i)
    .optional(),
  // `a@b.example` or `Name <a@b.example>`, printable ASCII on one line: it goes into a mail header as it is.
  SMARTER_EMAIL_FROM: z
    .string()
    .max(320)
    .regex(
      /^(?:[\x20-\x3b\x3d\x3f-\x7e]*<[\x21-\x3b\x3d\x3f\x41-\x7e]+@[\x21-\x3b\x3d\x3f\x41-\x7e]+>|[\x21-\x3b\x3d\x3f\x41-\x7e]+@[\x21-\x3b\x3d\x3f\x41-\x7e]+)$/,
    )
    .optional(),
});

/** Every `SMARTER_*` variable the server understands. */
export const CONFIG_VARIABLES: readonly string[] = [...Object.keys(schema.shape), ...OAUTH_VARIABLES];

/** `SMARTER_*` variables that belong to tooling (tests, CI), not to the server: never refused. */
const TOOLING_VARIABLES: readonly string[] = ['SMARTER_REQUIRE_SERVICES'];

/** A source of settings: `process.env`, Workers bindings, or a plain object. */
export type ConfigSource = Readonly<Record<string, string | undefined>>;

function refuseUnknown(source: ConfigSource): void {
  for (const name of Object.keys(source)) {
    if (!name.startsWith('SMARTER_') || CONFIG_VARIABLES.includes(name) || TOOLING_VARIABLES.includes(name)) continue;
    if (source[name] === undefined) continue;
    const near = CONFIG_VARIABLES.map((known) => [known, editDistance(name, known)] as const).sort(
      (a, b) => a[1] - b[1],
    )[0];
    const hint = near && near[1] <= 4 ? ` Did you mean ${near[0]}?` : ' See the README for the list of settings.';
    throw new SmarterConfigError(`Unknown setting ${name}.${hint}`);
  }
}

function parseComponentLevels(value: string | undefined): Record<string, LogLevel> {
  const levels: Record<string, LogLevel> = {};
  for (const item of splitList(value)) {
    const match = /^([a-z][a-z0-9.-]{0,40})=([a-z]+)$/.exec(item.toLowerCase());
    const level = LEVEL.safeParse(match?.[2]);
    if (!match?.[1] || !level.success) {
      throw new SmarterConfigError(
        `SMARTER_LOG_LEVELS entries are component=level with a level in ${LOG_LEVELS.join(', ')} (e.g. http=warn,journal=info).`,
      );
    }
    levels[match[1]] = level.data;
  }
  return levels;
}

function parseRateLimit(value: string): AppConfig['rateLimit'] {
  if (value === 'off') return undefined;
  const [limit, seconds] = value.split('/').map(Number);
  return { limit: limit ?? 600, windowMs: (seconds ?? 60) * 1000 };
}

function s3Config(env: z.infer<typeof schema>): UploadConfig['s3'] {
  const { SMARTER_S3_ENDPOINT: endpoint, SMARTER_S3_BUCKET: bucket } = env;
  const { SMARTER_S3_ACCESS_KEY_ID: accessKeyId, SMARTER_S3_SECRET_ACCESS_KEY: secret } = env;
  if (env.SMARTER_UPLOAD_STORAGE !== 's3') return undefined;
  if (!endpoint || !bucket || !accessKeyId || !secret) {
    throw new SmarterConfigError(
      'SMARTER_UPLOAD_STORAGE=s3 needs SMARTER_S3_ENDPOINT, SMARTER_S3_BUCKET, SMARTER_S3_ACCESS_KEY_ID and SMARTER_S3_SECRET_ACCESS_KEY.',
    );
  }
  return { endpoint, bucket, region: env.SMARTER_S3_REGION, accessKeyId, secretAccessKey: new Secret(secret) };
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /**
   * Refuse to load a production configuration that fails `checkDeploy` errors. Only `smarter check --deploy`
   * turns this off, to print the whole checklist instead of the first refusal. @default true
   */
  readonly enforceDeployChecks?: boolean;
}

/**
 * Reads the typed configuration from `SMARTER_*` variables (or any record of strings). Called once by the entry.
 * Unknown `SMARTER_*` names are refused (a misspelled setting must not silently fall back to a default); in
 * production every failing `checkDeploy` error refuses the boot (SPEC §20). With nothing set, it is a working
 * development configuration.
 *
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(source: ConfigSource, options: LoadConfigOptions = {}): AppConfig {
  refuseUnknown(source);
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))].join(', ');
    throw new SmarterConfigError(`Invalid configuration in: ${names}. See the README for allowed values.`);
  }
  const env = parsed.data;
  const mode = env.SMARTER_ENV;
  const development = mode === 'development';
  const keys = readSecretKeys(env.SMARTER_SECRET_KEYS, mode, options.enforceDeployChecks !== false);
  const redisUrl = env.SMARTER_REDIS_URL ? new Secret(env.SMARTER_REDIS_URL) : undefined;
  const hstsSeconds = env.SMARTER_HSTS_SECONDS === undefined ? 31_536_000 : Number(env.SMARTER_HSTS_SECONDS);
  const provider = env.SMARTER_LLM_PROVIDER;
  if (provider === 'openai' && (!env.SMARTER_LLM_BASE_URL || !env.SMARTER_LLM_API_KEY)) {
    throw new SmarterConfigError('SMARTER_LLM_PROVIDER=openai needs SMARTER_LLM_BASE_URL and SMARTER_LLM_API_KEY.');
  }
  const allowedHosts = splitList(env.SMARTER_ALLOWED_HOSTS).map((h) => parseHost('SMARTER_ALLOWED_HOSTS', h));
  const config: AppConfig = {
    env: mode,
    debug: parseBoolean('SMARTER_DEBUG', env.SMARTER_DEBUG) ?? false,
    databaseUrl: env.SMARTER_DATABASE_URL,
    ...keys,
    allowedHosts,
    apiDomain: env.SMARTER_API_DOMAIN
      ? parseHost('SMARTER_API_DOMAIN', env.SMARTER_API_DOMAIN).replace(/:\d+$/, '')
      : undefined,
    trustedProxies: /^\s*\d{1,2}\s*$/.test(env.SMARTER_TRUSTED_PROXIES ?? '')
      ? Number(env.SMARTER_TRUSTED_PROXIES)
      : splitList(env.SMARTER_TRUSTED_PROXIES).map(parseTrustedProxy),
    corsOrigins: splitList(env.SMARTER_CORS_ORIGINS).map((o) => parseOrigin('SMARTER_CORS_ORIGINS', o)),
    csrfTrustedOrigins: splitList(env.SMARTER_CSRF_TRUSTED_ORIGINS).map((o) =>
      parseOrigin('SMARTER_CSRF_TRUSTED_ORIGINS', o),
    ),
    staticRoot: env.SMARTER_STATIC_ROOT?.trim() || undefined,
    staticUrl: env.SMARTER_STATIC_URL,
    mediaRoot: env.SMARTER_MEDIA_ROOT,
    redisUrl,
    cookieSecure: parseBoolean('SMARTER_COOKIE_SECURE', env.SMARTER_COOKIE_SECURE) ?? !development,
    hstsSeconds,
    hstsPreload: parseBoolean('SMARTER_HSTS_PRELOAD', env.SMARTER_HSTS_PRELOAD) ?? false,
    secureRedirect: parseBoolean('SMARTER_SECURE_REDIRECT', env.SMARTER_SECURE_REDIRECT) ?? mode === 'production',
    rateLimit: parseRateLimit(env.SMARTER_RATE_LIMIT),
    resetEmailLimit: parseRateLimit(env.SMARTER_RESET_EMAIL_LIMIT),
    inviteLimit: parseRateLimit(env.SMARTER_INVITE_LIMIT),
    store: {
      kind: env.SMARTER_STORE ?? (redisUrl ? 'redis' : 'memory'),
      instances: Number(env.SMARTER_INSTANCES),
    },
    log: {
      level: env.SMARTER_LOG_LEVEL ?? (mode === 'test' ? 'warn' : 'info'),
      format: env.SMARTER_LOG_FORMAT ?? (development ? 'pretty' : 'json'),
      components: parseComponentLevels(env.SMARTER_LOG_LEVELS),
    },
    provider: {
      name: provider,
      baseUrl: env.SMARTER_LLM_BASE_URL,
      model: env.SMARTER_LLM_MODEL,
      apiKey: env.SMARTER_LLM_API_KEY ? new Secret(env.SMARTER_LLM_API_KEY) : undefined,
    },
    uploads: {
      storage: env.SMARTER_UPLOAD_STORAGE,
      maxFileBytes:
        env.SMARTER_UPLOAD_MAX_FILE_BYTES === undefined ? 10 * 1024 * 1024 : Number(env.SMARTER_UPLOAD_MAX_FILE_BYTES),
      s3: s3Config(env),
    },
    bootstrapToken: env.SMARTER_BOOTSTRAP_TOKEN ? new Secret(env.SMARTER_BOOTSTRAP_TOKEN) : undefined,
    storeShardKey: readShardKey(env.SMARTER_STORE_SHARD_KEY, mode),
    oauth: parseOAuth(source),
    publicUrl: parsePublicUrl(env.SMARTER_PUBLIC_URL, {
      production: mode === 'production',
      allowedHosts,
      port: source['PORT'],
    }),
    // The console sender is opt-in in production: an email printed to a log reaches nobody.
    email: env.SMARTER_EMAIL ?? (env.SMARTER_SMTP_URL ? 'smtp' : mode === 'production' ? 'off' : 'console'),
    smtp: parseSmtp(env.SMARTER_SMTP_URL, env.SMARTER_EMAIL_FROM),
  };
  if (config.email === 'smtp' && !config.smtp) {
    throw new SmarterConfigError(
      'SMARTER_EMAIL=smtp needs SMARTER_SMTP_URL (smtps://user:password@mail.example.com) and SMARTER_EMAIL_FROM.',
    );
  }
  if (config.bootstrapToken && mode !== 'test') {
    throw new SmarterConfigError(
      'SMARTER_BOOTSTRAP_TOKEN is for SMARTER_ENV=test only: remove it and run "smarter createsuperuser".',
    );
  }
  // The guard would refuse it too, but only when the app is built and in its own option names.
  if (config.hstsPreload && config.hstsSeconds < 31_536_000) {
    throw new SmarterConfigError(
      'SMARTER_HSTS_PRELOAD=true needs SMARTER_HSTS_SECONDS=31536000 or more (the preload list requires a year).',
    );
  }
  if (config.store.kind === 'redis' && !redisUrl) {
    throw new SmarterConfigError('SMARTER_STORE=redis needs SMARTER_REDIS_URL (redis://host:6379).');
  }
  if (mode === 'production' && options.enforceDeployChecks !== false) {
    const failures = checkDeploy(config).filter((item) => !item.ok && item.severity === 'error');
    if (failures.length > 0) {
      throw new SmarterConfigError(
        `Refusing to start in production: ${failures.map((f) => `${f.id} (${f.fix})`).join('; ')}. Run "smarter check --deploy" for the full list.`,
      );
    }
  }
  return config;
}

/** `SMARTER_SMTP_URL` and `SMARTER_EMAIL_FROM` checked together; the error never repeats the URL (it may hold a password). */
function parseSmtp(url: string | undefined, from: string | undefined): SmtpConfig | undefined {
  if (url === undefined) {
    if (from !== undefined)
      throw new SmarterConfigError('SMARTER_EMAIL_FROM is the sender of SMARTER_SMTP_URL: set both.');
    return undefined;
  }
  if (from === undefined)
    throw new SmarterConfigError('SMARTER_SMTP_URL needs SMARTER_EMAIL_FROM (the sender address).');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SmarterConfigError('SMARTER_SMTP_URL is not a URL: write smtps://user:password@mail.example.com[:465].');
  }
  if (!parsed.hostname || (parsed.pathname !== '' && parsed.pathname !== '/') || parsed.search || parsed.hash) {
    throw new SmarterConfigError('SMARTER_SMTP_URL is a server only: smtp[s]://[user:password@]host[:port], no path.');
  }
  if (Boolean(parsed.username) !== Boolean(parsed.password)) {
    throw new SmarterConfigError('SMARTER_SMTP_URL: give both the user and the password, or neither.');
  }
  try {
    decodeURIComponent(parsed.username);
    decodeURIComponent(parsed.password);
  } catch {
    throw new SmarterConfigError('SMARTER_SMTP_URL: percent-encode the user and password (% as %25, @ as %40).');
  }
  return { url: new Secret(url), from };
}

/** True when the database URL selects PostgreSQL. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(url);
}

/** The SQLite file path of a database URL (`file:` prefix optional). */
export function sqlitePath(url: string): string {
  return url.replace(/^file:(?:\/\/)?/i, '');
}

/**
 * A URL with its password (and user) and its query masked, for logs and the journal: `postgres://***@db:5432/app`.
 * Everything between the scheme and the last `@` before the query goes, so an unencoded `@` or `/` in a password
 * (which URL parsers take in different ways) never leaves part of it behind; a URL with an `@` only in its path loses
 * more than its credentials, never less.
 */
export function maskUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0];
  if (scheme === undefined) return url;
  // A query may carry credentials too (Redis clients read `?password=`): its values go with it.
  const query = url.indexOf('?', scheme.length);
  const base = query === -1 ? url : `${url.slice(0, query)}?***`;
  const at = base.lastIndexOf('@');
  return at < scheme.length ? base : `${scheme}***${base.slice(at)}`;
}
