import {
  type Clock,
  isSmarterError,
  type Journal,
  problemResponse,
  requestIdOf,
  SmarterConfigError,
  type Store,
} from '@smarter/security';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import * as oauth from 'oauth4webapi';
import type { AccountService, RegistrationPolicy } from '../accounts/account-service.ts';
import { sha256Base64Url, timingSafeEqualString } from '../internal/bytes.ts';
import { systemClock } from '../internal/clock.ts';
import { silentJournal } from '../internal/journal.ts';
import type { KeyRing } from '../keys/key-ring.ts';
import { createSigner } from '../keys/signer.ts';
import type { AuthRepositories, UserRecord } from '../ports.ts';
import { fetchProviderIdentity, OAUTH_PROVIDERS, type OAuthEndpoints, type OAuthProviderId } from './providers.ts';

/** One configured provider. */
export interface OAuthProviderConfig {
  readonly id: OAuthProviderId;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The exact redirect URI registered with the provider (never derived from the request). */
  readonly redirectUri: string;
  /** @default the provider's preset scopes */
  readonly scopes?: readonly string[];
  /** Overrides of the provider's endpoints (a local fake in tests). @default the real endpoints */
  readonly endpoints?: Partial<OAuthEndpoints>;
}

/** Options of {@link createOAuthLogin}. */
export interface OAuthLoginOptions {
  readonly providers: readonly OAuthProviderConfig[];
  /** Signs the state cookie. */
  readonly keyRing: KeyRing;
  /** Marks states used, so a replayed callback fails on every instance. */
  readonly store: Store;
  readonly repositories: AuthRepositories;
  /** Creates accounts and users when registration is open. */
  readonly accounts: AccountService;
  /** New identities: 'closed' refuses them, 'open' creates an account and an active, verified user. @default 'closed' */
  readonly registration?: RegistrationPolicy;
  /**
   * Whether a first sign-in may link a provider account to an admin or a superuser by a matching verified email. Off,
   * such identities are refused (`PRIVILEGED_ROLE`): whoever controls a provider account showing that address would
   * otherwise get a privileged session without the password or its throttle. An admin or superuser signs in only
   * through a link that exists already (made while a member, or by an operator in `repositories.oauthLinks`).
   * @default false
   */
  readonly linkPrivilegedByEmail?: boolean;
  readonly journal?: Journal;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default Date.now */
  readonly now?: Clock;
  /** How long a sign-in may take between redirect and callback. @default 600000 */
  readonly stateTtlMs?: number;
  /** Allow `http:` provider endpoints and cookies without `Secure` (local fakes and development only). @default false */
  readonly dangerouslyAllowInsecureRequests?: boolean;
}

/**
 * Why a callback failed (journal `oauth.failed`; the client sees one generic 400). `PRIVILEGED_ROLE`: the email
 * belongs to an admin or superuser with no link to this provider account; `LINKED_TO_OTHER_SUBJECT`: the user with
 * this email is linked to another account of the same provider.
 */
export type OAuthFailure =
  | 'UNKNOWN_PROVIDER'
  | 'MISSING_STATE'
  | 'INVALID_STATE'
  | 'STATE_EXPIRED'
  | 'STATE_MISMATCH'
  | 'STATE_REPLAYED'
  | 'PROVIDER_ERROR'
  | 'EMAIL_NOT_VERIFIED'
  | 'LINK_REQUIRES_VERIFIED_ACCOUNT'
  | 'PRIVILEGED_ROLE'
  | 'LINKED_TO_OTHER_SUBJECT'
  | 'ACCOUNT_INACTIVE'
  | 'REGISTRATION_CLOSED';

/** Outcome of {@link OAuthLogin.callback}. */
export type OAuthResult =
  | { readonly ok: true; readonly user: UserRecord; readonly created: boolean }
  | { readonly ok: false; readonly reason: OAuthFailure };

/** OAuth2 / OpenID Connect sign-in (SPEC §15). */
export interface OAuthLogin {
  /** Redirects to the provider; sets the signed per-provider state (and PKCE) cookie. */
  start(c: Context, provider: string): Promise<Response>;
  /** Handles the provider's redirect back; always deletes the state cookie. Start a session on success. */
  callback(c: Context, provider: string): Promise<OAuthResult>;
}

interface SavedState {
  readonly s: string;
  readonly v: string;
  readonly e: number;
}

/**
 * Creates OAuth login through `oauth4webapi`: explicit redirect URIs, a signed per-provider state and PKCE cookie,
 * single-use state and a registration policy. A provider account is linked to a user once, on a first sign-in through
 * a verified email (members only, unless `linkPrivilegedByEmail`); from then on its subject, not its email, says
 * who signs in, and another account of the same provider showing that email is refused.
 *
 * @example
 * const login = createOAuthLogin({ providers: [{ id: 'github', clientId, clientSecret, redirectUri }], keyRing, store, repositories, accounts });
 * app.get('/oauth/:p/start', (c) => login.start(c, c.req.param('p')));
 */
export function createOAuthLogin(options: OAuthLoginOptions): OAuthLogin {
  const insecure = options.dangerouslyAllowInsecureRequests === true;
  const registration = options.registration ?? 'closed';
  const linkPrivilegedByEmail = options.linkPrivilegedByEmail === true;
  const links = options.repositories.oauthLinks;
  const stateTtlMs = options.stateTtlMs ?? 600_000;
  const now = options.now ?? systemClock;
  const journal = options.journal ?? silentJournal;
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const signer = createSigner(options.keyRing, 'oauth-state');
  const providers = new Map<
    string,
    OAuthProviderConfig & { readonly resolved: OAuthEndpoints; readonly pkce: boolean }
  >();
  for (const p of options.providers) {
    const preset = OAUTH_PROVIDERS[p.id];
    if (!preset)
      throw new SmarterConfigError(`Unknown OAuth provider "${String(p.id)}": use google, github or linkedin.`);
    const redirect = URL.canParse(p.redirectUri) ? new URL(p.redirectUri) : undefined;
    if (!redirect || (redirect.protocol !== 'https:' && !insecure)) {
      throw new SmarterConfigError(
        `OAuth ${p.id}: redirectUri must be an absolute https URL registered with the provider.`,
      );
    }
    if (!p.clientId || !p.clientSecret)
      throw new SmarterConfigError(`OAuth ${p.id}: clientId and clientSecret are required.`);
    providers.set(p.id, { ...p, resolved: { ...preset.endpoints, ...p.endpoints }, pkce: preset.pkce });
  }
  const cookieAttributes = `Path=/; HttpOnly; SameSite=Lax${insecure ? '' : '; Secure'}`;
  const cookieName = (id: string) => (insecure ? `smarter_oauth_${id}` : `__Host-smarter_oauth_${id}`);
  const httpOptions = { [oauth.customFetch]: fetchFn, [oauth.allowInsecureRequests]: insecure };

  function server(p: { resolved: OAuthEndpoints }): oauth.AuthorizationServer {
    return {
      issuer: p.resolved.issuer,
      authorization_endpoint: p.resolved.authorization,
      token_endpoint: p.resolved.token,
      userinfo_endpoint: p.resolved.userinfo,
    };
  }

  /** Journals a refusal; `user` names the local user an identity was refused for (an attempt on that account). */
  function failed(c: Context, provider: string, reason: OAuthFailure, user?: UserRecord): OAuthResult {
    journal.emit({
      type: 'oauth.failed',
      severity: 'warning',
      reason,
      requestId: requestIdOf(c),
      principal: user?.id,
      account: user?.accountId,
      details: { provider },
    });
    return { ok: false, reason };
  }

  /** Journals a sign-in; `change` says that this one made the link (and the user). */
  function signedIn(c: Context, provider: string, user: UserRecord, change?: 'linked' | 'created'): void {
    journal.emit({
      type: 'oauth.linked',
      severity: change ? 'notice' : 'info',
      principal: user.id,
      account: user.accountId,
      requestId: requestIdOf(c),
      details: change ? { provider, linked: true, ...(change === 'created' ? { created: true } : {}) } : { provider },
    });
  }

  /**
   * Links a provider account to `user`. A conflict means a racing sign-in linked first: fine when it made this very
   * link, a refusal when the user got another account of this provider (the unique index decides, not a read).
   */
  async function link(
    c: Context,
    provider: string,
    subject: string,
    user: UserRecord,
  ): Promise<OAuthResult | undefined> {
    try {
      await links.create({ provider, subject, userId: user.id });
      return undefined;
    } catch (error) {
      if (!isSmarterError(error) || error.code !== 'DATA_CONFLICT') throw error;
      if ((await links.get(provider, subject))?.userId === user.id) return undefined;
      return failed(c, provider, 'LINKED_TO_OTHER_SUBJECT', user);
    }
  }

  return {
    async start(c, id) {
      const p = providers.get(id);
      if (!p) return problemResponse({ status: 404, code: 'NOT_FOUND', title: 'Not found', requestId: requestIdOf(c) });
      const state = oauth.generateRandomState();
      const verifier = oauth.generateRandomCodeVerifier();
      const url = new URL(p.resolved.authorization);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', p.clientId);
      url.searchParams.set('redirect_uri', p.redirectUri);
      url.searchParams.set('scope', (p.scopes ?? OAUTH_PROVIDERS[p.id].scopes).join(' '));
      url.searchParams.set('state', state);
      if (p.pkce) {
        url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
        url.searchParams.set('code_challenge_method', 'S256');
      }
      const saved: SavedState = { s: state, v: p.pkce ? verifier : '', e: now() + stateTtlMs };
      const value = await signer.sign(btoa(JSON.stringify(saved)).replace(/=+$/, ''));
      c.header(
        'set-cookie',
        `${cookieName(id)}=${value}; Max-Age=${Math.floor(stateTtlMs / 1000)}; ${cookieAttributes}`,
        { append: true },
      );
      c.header('cache-control', 'no-store');
      return c.redirect(url.toString(), 302);
    },

    async callback(c, id) {
      const p = providers.get(id);
      if (!p) return failed(c, id, 'UNKNOWN_PROVIDER');
      const raw = getCookie(c, cookieName(id));
      // The state cookie is single use: delete it whatever happens next.
      c.header('set-cookie', `${cookieName(id)}=; Max-Age=0; ${cookieAttributes}`, { append: true });
      c.header('cache-control', 'no-store');
      if (!raw) return failed(c, id, 'MISSING_STATE');
      const payload = await signer.verify(raw);
      let saved: SavedState;
      try {
        saved = JSON.parse(atob(payload ?? '')) as SavedState;
        if (typeof saved.s !== 'string' || typeof saved.v !== 'string' || typeof saved.e !== 'number')
          throw new TypeError();
      } catch {
        return failed(c, id, 'INVALID_STATE');
      }
      if (now() >= saved.e) return failed(c, id, 'STATE_EXPIRED');
      const params = new URL(c.req.url).searchParams;
      const returned = params.get('state');
      if (!returned || !timingSafeEqualString(returned, saved.s)) return failed(c, id, 'STATE_MISMATCH');
      if (
        !(await options.store.setIfAbsent(
          `smarter:auth:oauth-state:${await sha256Base64Url(saved.s)}`,
          '1',
          stateTtlMs,
        ))
      ) {
        return failed(c, id, 'STATE_REPLAYED');
      }
      const as = server(p);
      const client: oauth.Client = { client_id: p.clientId };
      let identity: Awaited<ReturnType<typeof fetchProviderIdentity>>;
      try {
        const validated = oauth.validateAuthResponse(as, client, params, saved.s);
        const response = await oauth.authorizationCodeGrantRequest(
          as,
          client,
          oauth.ClientSecretPost(p.clientSecret),
          validated,
          p.redirectUri,
          p.pkce ? saved.v : oauth.nopkce,
          httpOptions,
        );
        const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
        identity = await fetchProviderIdentity(p.id, p.resolved, async (url) => {
          const res = await fetchFn(url, {
            headers: {
              authorization: `Bearer ${tokens.access_token}`,
              accept: 'application/json',
              'user-agent': 'smarter',
            },
            redirect: 'error',
          });
          if (!res.ok) throw new TypeError(`userinfo answered ${res.status}`);
          return res.json();
        });
      } catch {
        return failed(c, id, 'PROVIDER_ERROR');
      }
      // A linked provider account signs in as its user, whatever email it shows today.
      const known = await links.get(id, identity.subject);
      if (known) {
        const user = await options.repositories.users.getById(known.userId);
        if (!user?.active) return failed(c, id, 'ACCOUNT_INACTIVE', user);
        signedIn(c, id, user);
        return { ok: true, user, created: false };
      }
      if (!identity.email || !identity.emailVerified) return failed(c, id, 'EMAIL_NOT_VERIFIED');
      const existing = await options.repositories.users.getByEmail(identity.email);
      if (existing) {
        if (!existing.active) return failed(c, id, 'ACCOUNT_INACTIVE', existing);
        // An unverified local account could have been pre-registered by someone else with this address.
        if (!existing.emailVerified) return failed(c, id, 'LINK_REQUIRES_VERIFIED_ACCOUNT', existing);
        // An email match never signs in an admin or superuser: a provider showing the address does not make them.
        if (existing.role !== 'member' && !linkPrivilegedByEmail) return failed(c, id, 'PRIVILEGED_ROLE', existing);
        // Refused when the user's own account at this provider is linked already: this one is someone else's.
        const refused = await link(c, id, identity.subject, existing);
        if (refused) return refused;
        signedIn(c, id, existing, 'linked');
        return { ok: true, user: existing, created: false };
      }
      if (registration !== 'open') return failed(c, id, 'REGISTRATION_CLOSED');
      const account = await options.accounts.createAccount('system', identity.email);
      const user = await options.accounts.createUser('system', {
        accountId: account.id,
        email: identity.email,
        role: 'admin',
        active: true,
        emailVerified: true,
      });
      // The new admin signs in again through this link (an email match would now be refused).
      const refused = await link(c, id, identity.subject, user);
      if (refused) {
        // Only a race with another sign-in of the same provider account gets here: the user just made is left
        // inactive, not as an admin that nothing could sign in and nothing would ever remove.
        await options.repositories.users.update(user.id, { active: false });
        return refused;
      }
      signedIn(c, id, user, 'created');
      return { ok: true, user, created: true };
    },
  };
}
