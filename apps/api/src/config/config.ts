import { SmarterConfigError } from '@smarter/security';
import { z } from 'zod';

/** Where the reference server runs. */
export type SmarterEnv = 'development' | 'test' | 'production';

/** The effective configuration of the reference server (SPEC §21 names). */
export interface AppConfig {
  readonly env: SmarterEnv;
  readonly databaseUrl: string;
  readonly allowedHosts: readonly string[];
  readonly apiDomain: string | undefined;
  /** CIDRs or preset names of trusted proxies (`SMARTER_TRUSTED_PROXIES`), or a hop count. */
  readonly trustedProxies: readonly string[] | number;
  /** Redirect http to https (`SMARTER_SECURE_REDIRECT`; default on in production only). */
  readonly secureRedirect: boolean;
  /** General API rate limit per client (`SMARTER_RATE_LIMIT` = `limit/seconds` or `off`; default 600/60). */
  readonly rateLimit: { readonly limit: number; readonly windowMs: number } | undefined;
  /** Raw secret keys, first signs (`SMARTER_SECRET_KEYS`, comma-separated, ≥ 32 bytes each). Required in production. */
  readonly secretKeys: readonly string[];
  /** Origins allowed to call the API cross-origin (`SMARTER_CORS_ORIGINS`, comma-separated). */
  readonly corsOrigins: readonly string[];
  /** Extra origins trusted for CSRF (`SMARTER_CSRF_TRUSTED_ORIGINS`, comma-separated). */
  readonly csrfTrustedOrigins: readonly string[];
}

const schema = z.object({
  SMARTER_ENV: z.enum(['development', 'test', 'production']).default('development'),
  SMARTER_DATABASE_URL: z.string().min(1).default('./data/smarter.sqlite3'),
  SMARTER_ALLOWED_HOSTS: z.string().default(''),
  SMARTER_API_DOMAIN: z.string().optional(),
  SMARTER_TRUSTED_PROXIES: z.string().default(''),
  SMARTER_SECURE_REDIRECT: z.enum(['true', 'false', '1', '0']).optional(),
  SMARTER_RATE_LIMIT: z
    .string()
    .regex(/^(?:off|\d{1,7}\/\d{1,6})$/)
    .default('600/60'),
  SMARTER_SECRET_KEYS: z.string().default(''),
  SMARTER_CORS_ORIGINS: z.string().default(''),
  SMARTER_CSRF_TRUSTED_ORIGINS: z.string().default(''),
});

/**
 * Reads the typed configuration from `SMARTER_*` variables (or any record of strings). Called once by the entry.
 *
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(source: Readonly<Record<string, string | undefined>>): AppConfig {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const names = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new SmarterConfigError(`Invalid configuration in: ${names}. See the README for allowed values.`);
  }
  const env = parsed.data;
  return {
    env: env.SMARTER_ENV,
    databaseUrl: env.SMARTER_DATABASE_URL,
    allowedHosts: env.SMARTER_ALLOWED_HOSTS.split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    apiDomain: env.SMARTER_API_DOMAIN?.trim().toLowerCase() || undefined,
    trustedProxies: parseTrustedProxies(env.SMARTER_TRUSTED_PROXIES),
    secureRedirect:
      env.SMARTER_SECURE_REDIRECT === undefined
        ? env.SMARTER_ENV === 'production'
        : env.SMARTER_SECURE_REDIRECT === 'true' || env.SMARTER_SECURE_REDIRECT === '1',
    rateLimit: parseRateLimit(env.SMARTER_RATE_LIMIT),
    secretKeys: parseSecretKeys(env.SMARTER_SECRET_KEYS, env.SMARTER_ENV),
    corsOrigins: list(env.SMARTER_CORS_ORIGINS),
    csrfTrustedOrigins: list(env.SMARTER_CSRF_TRUSTED_ORIGINS),
  };
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

/**
 * `SMARTER_SECRET_KEYS`: required (≥ 32 bytes each) in production. Elsewhere a missing value becomes one random key per
 * process, so development needs no setup (tokens then do not survive a restart).
 */
function parseSecretKeys(value: string, env: SmarterEnv): readonly string[] {
  const keys = list(value);
  if (keys.some((k) => new TextEncoder().encode(k).length < 32)) {
    throw new SmarterConfigError('Invalid configuration in: SMARTER_SECRET_KEYS. Each key needs at least 32 bytes.');
  }
  if (keys.length > 0) return keys;
  if (env === 'production') {
    throw new SmarterConfigError('Invalid configuration in: SMARTER_SECRET_KEYS. Production needs at least one key.');
  }
  return [crypto.randomUUID() + crypto.randomUUID()];
}

/** True when the database URL selects PostgreSQL. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(url);
}

/** The SQLite file path of a database URL (`file:` prefix optional). */
export function sqlitePath(url: string): string {
  return url.replace(/^file:(?:\/\/)?/i, '');
}

/** `SMARTER_TRUSTED_PROXIES`: comma-separated CIDRs or preset names, or a hop count (`1`). */
function parseTrustedProxies(value: string): readonly string[] | number {
  const trimmed = value.trim();
  if (/^\d{1,2}$/.test(trimmed)) return Number(trimmed);
  return trimmed
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** `SMARTER_RATE_LIMIT`: `limit/seconds` (e.g. `600/60`) or `off`. */
function parseRateLimit(value: string): AppConfig['rateLimit'] {
  if (value === 'off') return undefined;
  const [limit, seconds] = value.split('/').map(Number);
  if (!limit || !seconds)
    throw new SmarterConfigError('Invalid configuration in: SMARTER_RATE_LIMIT. Write it like 600/60, or off.');
  return { limit, windowMs: seconds * 1000 };
}
