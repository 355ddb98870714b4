import { parseKeyRing } from '@smarter/auth';
import type { AppConfig } from './config.ts';
import { hostAnswered } from './public-url.ts';

/** One line of the deployment checklist (Django's `check --deploy`, SPEC §20). */
export interface DeployCheckItem {
  /** Stable id, e.g. `secret_keys.strong`. */
  readonly id: string;
  /** What is checked, as a sentence. */
  readonly title: string;
  readonly ok: boolean;
  /** `error` refuses a production boot; `warning` is printed only. */
  readonly severity: 'error' | 'warning';
  /** What to write instead when the check fails. */
  readonly fix: string;
}

/** The key ring's own rule (`parseKeyRing` with strong keys required): 32+ characters, 10+ distinct, no placeholder. */
function weakKeys(entries: readonly string[]): boolean {
  if (entries.length === 0) return true;
  try {
    parseKeyRing(entries.join(','));
    return false;
  } catch {
    return true;
  }
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

function insecureUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' && !LOOPBACK.test(u.hostname);
  } catch {
    return true;
  }
}

/**
 * The deployment checklist, evaluated as if for production whatever `config.env` says. In production,
 * `loadConfig` refuses to boot while any `error` item fails.
 *
 * @example
 * for (const item of checkDeploy(config)) console.log(item.ok ? 'PASS' : 'FAIL', item.title);
 */
export function checkDeploy(config: AppConfig): DeployCheckItem[] {
  const item = (
    id: string,
    ok: boolean,
    title: string,
    fix: string,
    severity: DeployCheckItem['severity'] = 'error',
  ): DeployCheckItem => ({ id, title, ok, severity, fix });
  const httpOrigins = (list: readonly string[]) => list.some((o) => o.startsWith('http://'));
  return [
    item(
      'secret_keys.set',
      !config.secretKeysGenerated,
      'A secret key is configured (not generated for this process)',
      'set SMARTER_SECRET_KEYS (for example: openssl rand -hex 32)',
    ),
    item(
      'secret_keys.strong',
      !config.secretKeysGenerated && !weakKeys(config.secretKeys),
      'Every secret key is long and random',
      'use at least 32 random characters per key in SMARTER_SECRET_KEYS',
    ),
    item('debug.off', !config.debug, 'Debug mode is off', 'unset SMARTER_DEBUG'),
    item(
      'allowed_hosts.set',
      config.allowedHosts.length > 0,
      'Allowed hosts are listed',
      'set SMARTER_ALLOWED_HOSTS to the platform host names',
    ),
    item(
      'allowed_hosts.no_wildcard',
      !config.allowedHosts.some((h) => h.startsWith('*')),
      'No wildcard allowed hosts',
      'list exact names in SMARTER_ALLOWED_HOSTS; agents get their own hosts under SMARTER_API_DOMAIN',
    ),
    item(
      'cors.https_only',
      !httpOrigins(config.corsOrigins),
      'CORS origins (sent with credentials) are all https',
      'use https:// origins in SMARTER_CORS_ORIGINS',
    ),
    item(
      'csrf.https_only',
      !httpOrigins(config.csrfTrustedOrigins),
      'CSRF trusted origins are all https',
      'use https:// origins in SMARTER_CSRF_TRUSTED_ORIGINS',
    ),
    item(
      'cookies.secure',
      config.cookieSecure,
      'Session and signed cookies are Secure',
      'set SMARTER_COOKIE_SECURE=true (the default when SMARTER_ENV=production)',
    ),
    item(
      'hsts.on',
      config.hstsSeconds > 0,
      'HSTS is on',
      'unset SMARTER_HSTS_SECONDS (default one year) or give it a positive value',
    ),
    item(
      'hsts.one_year',
      config.hstsSeconds >= 31_536_000,
      'HSTS lasts at least one year',
      'set SMARTER_HSTS_SECONDS=31536000 or more',
      'warning',
    ),
    item(
      'store.shared',
      !(config.store.kind === 'memory' && config.store.instances > 1),
      'Counters and bans are shared between instances',
      'set SMARTER_REDIS_URL (or SMARTER_STORE=sql) when SMARTER_INSTANCES is above 1',
    ),
    item(
      'provider.https',
      !insecureUrl(config.provider.baseUrl),
      'The LLM provider is reached over https',
      'use an https:// SMARTER_LLM_BASE_URL',
    ),
    item(
      'uploads.s3_https',
      !insecureUrl(config.uploads.s3?.endpoint),
      'The S3 endpoint is reached over https',
      'use an https:// SMARTER_S3_ENDPOINT',
    ),
    item(
      'https.redirect',
      config.secureRedirect,
      'Plain http is redirected to https',
      'set SMARTER_SECURE_REDIRECT=true (the default when SMARTER_ENV=production)',
      'warning',
    ),
    item(
      'api_domain.set',
      config.apiDomain !== undefined,
      'An API domain is set, so agents can be deployed on their own hosts',
      'set SMARTER_API_DOMAIN (agents answer on <agent>.<account>.<api-domain>)',
      'warning',
    ),
    item(
      'public_url.https',
      config.publicUrl === undefined || config.publicUrl.startsWith('https://'),
      'Emailed links (password reset, new users) use https',
      'set SMARTER_PUBLIC_URL to https://<platform host>',
    ),
    item(
      'public_url.allowed_host',
      config.publicUrl === undefined || hostAnswered(config.publicUrl, config.allowedHosts),
      'Emailed links point at one of the allowed hosts',
      'set SMARTER_PUBLIC_URL to https://<one of SMARTER_ALLOWED_HOSTS>',
    ),
    item(
      'public_url.set',
      config.publicUrl !== undefined,
      'A public URL is set, so password-reset and new-user links can be emailed',
      'set SMARTER_PUBLIC_URL to https://<platform host> and pass an email sender to startApp ({ email })',
      'warning',
    ),
    item(
      'email.not_console',
      config.email !== 'console',
      'Emails are sent, not printed to the log (where their links are masked in production)',
      'set SMARTER_SMTP_URL and SMARTER_EMAIL_FROM (SMARTER_EMAIL=smtp), or pass a sender to startApp ({ email })',
      'warning',
    ),
    item(
      'redis.tls',
      config.redisUrl === undefined || /^rediss:\/\//i.test(config.redisUrl.reveal()) || redisIsLocal(config),
      'Redis is reached over TLS (or on this machine)',
      'use a rediss:// SMARTER_REDIS_URL',
      'warning',
    ),
  ];
}

function redisIsLocal(config: AppConfig): boolean {
  try {
    return LOOPBACK.test(new URL(config.redisUrl?.reveal() ?? '').hostname);
  } catch {
    return false;
  }
}
