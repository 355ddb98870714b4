import { parseKeyRing } from '@smarter/auth';
import { Secret } from '@smarter/security';
import { type AppConfig, isPostgresUrl, maskUrl } from '../config/config.ts';
import { toHex } from '../internal/hex.ts';

/** The security-relevant settings of a start, secrets masked: what `config.loaded` journals. */
export type EffectiveSettings = Readonly<Record<string, unknown>>;

const encoder = new TextEncoder();

/**
 * A short keyed digest of a secret, so a change shows between starts while the value never does. It is an HMAC under
 * the secret itself (like any MAC the server publishes), truncated to 64 bits.
 */
export async function secretDigest(secret: Secret | undefined): Promise<string | null> {
  if (secret === undefined) return null;
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret.reveal()),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode('smarter.config.fingerprint'));
  return toHex(mac).slice(0, 16);
}

/** The ring's ids as the app uses them (labels, or fingerprints of unlabelled keys); never the keys. */
function keyIds(entries: readonly string[]): readonly string[] {
  return entries.length === 0 ? [] : parseKeyRing(entries.join(','), { requireStrong: false }).ids;
}

/**
 * The effective security-relevant settings, flat and stable, with every secret replaced by a digest or `***`.
 *
 * @example
 * const settings = await effectiveSettings(config); // { env: 'production', 'secretKeys.ids': ['k1'], … }
 */
export async function effectiveSettings(config: AppConfig): Promise<EffectiveSettings> {
  return {
    env: config.env,
    debug: config.debug,
    'database.dialect': isPostgresUrl(config.databaseUrl) ? 'postgres' : 'sqlite',
    'database.url': maskUrl(config.databaseUrl),
    'secretKeys.ids': keyIds(config.secretKeys),
    'secretKeys.generated': config.secretKeysGenerated,
    'secretKeys.digest': await secretDigest(new Secret(config.secretKeys.join(','))),
    allowedHosts: [...config.allowedHosts],
    apiDomain: config.apiDomain ?? null,
    trustedProxies: typeof config.trustedProxies === 'number' ? config.trustedProxies : [...config.trustedProxies],
    corsOrigins: [...config.corsOrigins],
    csrfTrustedOrigins: [...config.csrfTrustedOrigins],
    staticUrl: config.staticUrl,
    cookieSecure: config.cookieSecure,
    hstsSeconds: config.hstsSeconds,
    hstsPreload: config.hstsPreload,
    secureRedirect: config.secureRedirect,
    rateLimit: config.rateLimit ? `${config.rateLimit.limit}/${config.rateLimit.windowMs / 1000}` : 'off',
    resetEmailLimit: config.resetEmailLimit
      ? `${config.resetEmailLimit.limit}/${config.resetEmailLimit.windowMs / 1000}`
      : 'off',
    inviteLimit: config.inviteLimit ? `${config.inviteLimit.limit}/${config.inviteLimit.windowMs / 1000}` : 'off',
    'store.kind': config.store.kind,
    'store.instances': config.store.instances,
    'store.shardKey.digest': await secretDigest(config.storeShardKey),
    'redis.url': config.redisUrl ? maskUrl(config.redisUrl.reveal()) : null,
    'provider.name': config.provider.name,
    'provider.baseUrl': config.provider.baseUrl ? maskUrl(config.provider.baseUrl) : null,
    'provider.apiKey.digest': await secretDigest(config.provider.apiKey),
    'uploads.storage': config.uploads.storage,
    'uploads.maxFileBytes': config.uploads.maxFileBytes,
    'uploads.s3.endpoint': config.uploads.s3 ? maskUrl(config.uploads.s3.endpoint) : null,
    'uploads.s3.secret.digest': await secretDigest(config.uploads.s3?.secretAccessKey),
    'log.level': config.log.level,
    publicUrl: config.publicUrl ?? null,
    email: config.email,
    'smtp.url': config.smtp ? maskUrl(config.smtp.url.reveal()) : null,
    'smtp.from': config.smtp?.from ?? null,
  };
}

/** A stable SHA-256 fingerprint of settings (keys sorted), hex. */
export async function settingsFingerprint(settings: EffectiveSettings): Promise<string> {
  const canonical = JSON.stringify(
    Object.keys(settings)
      .sort()
      .map((k) => [k, settings[k]]),
  );
  return toHex(await crypto.subtle.digest('SHA-256', encoder.encode(canonical)));
}
