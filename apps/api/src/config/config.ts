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
}

const schema = z.object({
  SMARTER_ENV: z.enum(['development', 'test', 'production']).default('development'),
  SMARTER_DATABASE_URL: z.string().min(1).default('./data/smarter.sqlite3'),
  SMARTER_ALLOWED_HOSTS: z.string().default(''),
  SMARTER_API_DOMAIN: z.string().optional(),
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
  };
}

/** True when the database URL selects PostgreSQL. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(url);
}

/** The SQLite file path of a database URL (`file:` prefix optional). */
export function sqlitePath(url: string): string {
  return url.replace(/^file:(?:\/\/)?/i, '');
}
