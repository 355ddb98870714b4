/** Providers Smarter signs in with (SPEC §15). */
export type OAuthProviderId = 'google' | 'github' | 'linkedin';

/** Endpoints of a provider; defaults are the real ones, tests point them at a local fake. */
export interface OAuthEndpoints {
  readonly issuer: string;
  readonly authorization: string;
  readonly token: string;
  readonly userinfo: string;
  /** GitHub's `/user/emails` (verified flags live there). */
  readonly emails?: string;
}

/** Built-in facts about a provider. */
export interface OAuthProviderPreset {
  readonly endpoints: OAuthEndpoints;
  readonly scopes: readonly string[];
  /** Whether the provider accepts PKCE (S256) on web clients. */
  readonly pkce: boolean;
}

/** The presets: Google and LinkedIn are OpenID Connect (userinfo with `email_verified`); GitHub lists emails. */
export const OAUTH_PROVIDERS: Readonly<Record<OAuthProviderId, OAuthProviderPreset>> = {
  google: {
    endpoints: {
      issuer: 'https://accounts.google.com',
      authorization: 'https://accounts.google.com/o/oauth2/v2/auth',
      token: 'https://oauth2.googleapis.com/token',
      userinfo: 'https://openidconnect.googleapis.com/v1/userinfo',
    },
    scopes: ['openid', 'email', 'profile'],
    pkce: true,
  },
  github: {
    endpoints: {
      issuer: 'https://github.com',
      authorization: 'https://github.com/login/oauth/authorize',
      token: 'https://github.com/login/oauth/access_token',
      userinfo: 'https://api.github.com/user',
      emails: 'https://api.github.com/user/emails',
    },
    scopes: ['read:user', 'user:email'],
    pkce: true,
  },
  linkedin: {
    endpoints: {
      issuer: 'https://www.linkedin.com/oauth',
      authorization: 'https://www.linkedin.com/oauth/v2/authorization',
      token: 'https://www.linkedin.com/oauth/v2/accessToken',
      userinfo: 'https://api.linkedin.com/v2/userinfo',
    },
    scopes: ['openid', 'profile', 'email'],
    pkce: false,
  },
};

/** The identity a provider vouches for, normalised. */
export interface ProviderIdentity {
  readonly provider: OAuthProviderId;
  readonly subject: string;
  readonly email: string | undefined;
  readonly emailVerified: boolean;
}

type FetchJson = (url: string) => Promise<unknown>;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : typeof value === 'number' ? String(value) : undefined;
}

/** Reads the identity from the provider's userinfo (and GitHub's email list). */
export async function fetchProviderIdentity(
  provider: OAuthProviderId,
  endpoints: OAuthEndpoints,
  getJson: FetchJson,
): Promise<ProviderIdentity> {
  const info = (await getJson(endpoints.userinfo)) as Record<string, unknown>;
  if (provider === 'github') {
    const subject = str(info['id']);
    let email: string | undefined;
    let verified = false;
    if (endpoints.emails) {
      const list = (await getJson(endpoints.emails)) as unknown;
      if (Array.isArray(list)) {
        const entry =
          list.find((e) => e?.primary === true && e?.verified === true) ?? list.find((e) => e?.verified === true);
        email = str(entry?.email);
        verified = email !== undefined;
      }
    }
    if (!subject) throw new TypeError('provider identity without a subject');
    return { provider, subject, email: email?.toLowerCase(), emailVerified: verified };
  }
  const subject = str(info['sub']);
  if (!subject) throw new TypeError('provider identity without a subject');
  const email = str(info['email'])?.toLowerCase();
  const flag = info['email_verified'];
  return { provider, subject, email, emailVerified: flag === true || flag === 'true' };
}
