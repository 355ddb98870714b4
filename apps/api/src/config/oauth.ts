import type { OAuthProviderConfig } from '@smarter/auth';
import { Secret, SmarterConfigError } from '@smarter/security';
import { z } from 'zod';

/** The OAuth providers the workbench can offer (SPEC §15). */
export const OAUTH_PROVIDER_IDS = ['google', 'github', 'linkedin'] as const;

/** One configured OAuth provider (`SMARTER_OAUTH_<PROVIDER>_CLIENT_ID|_CLIENT_SECRET|_REDIRECT_URI`). */
export interface OAuthClientConfig {
  readonly id: (typeof OAUTH_PROVIDER_IDS)[number];
  readonly clientId: string;
  readonly clientSecret: Secret;
  /** The exact redirect URI registered with the provider (never derived from the request). */
  readonly redirectUri: string;
  /** Endpoint overrides (tests point them at a local fake; never read from the environment). */
  readonly endpoints?: OAuthProviderConfig['endpoints'];
}

const name = (id: string, part: string) => `SMARTER_OAUTH_${id.toUpperCase()}_${part}`;

/** Every OAuth variable the server understands. */
export const OAUTH_VARIABLES: readonly string[] = OAUTH_PROVIDER_IDS.flatMap((id) =>
  ['CLIENT_ID', 'CLIENT_SECRET', 'REDIRECT_URI'].map((part) => name(id, part)),
);
const redirect = z.url({ protocol: /^https?$/ });

/**
 * The configured OAuth providers: a provider is on when its three variables are set; a partial set is refused (a
 * half-configured login button must not appear, nor silently vanish).
 */
export function parseOAuth(env: Readonly<Record<string, string | undefined>>): readonly OAuthClientConfig[] {
  const out: OAuthClientConfig[] = [];
  for (const id of OAUTH_PROVIDER_IDS) {
    const [clientId, clientSecret, redirectUri] = ['CLIENT_ID', 'CLIENT_SECRET', 'REDIRECT_URI'].map((part) => {
      const value = env[name(id, part)];
      return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
    });
    if (!clientId && !clientSecret && !redirectUri) continue;
    if (!clientId || !clientSecret || !redirectUri) {
      throw new SmarterConfigError(
        `OAuth ${id}: set all of ${name(id, 'CLIENT_ID')}, ${name(id, 'CLIENT_SECRET')} and ${name(id, 'REDIRECT_URI')}, or none.`,
      );
    }
    if (!redirect.safeParse(redirectUri).success || clientId.length > 500 || clientSecret.length > 500) {
      throw new SmarterConfigError(`OAuth ${id}: ${name(id, 'REDIRECT_URI')} must be an absolute http(s) URL.`);
    }
    out.push({ id, clientId, clientSecret: new Secret(clientSecret), redirectUri });
  }
  return out;
}
