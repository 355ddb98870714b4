import type { Context } from 'hono';
import type { ChatProvider } from '../providers/port.ts';
import type { AgentView, JournalEventView, KeyView, OAuthProviderView, WorkbenchUser } from './types.ts';

/** The signed-in user as the workbench routes need it. */
export interface WorkbenchSessionUser extends WorkbenchUser {
  readonly id: string;
  readonly accountId: string;
}

/** Input of a new agent from the dashboard form. */
export interface NewAgentInput {
  readonly name: string;
  readonly description: string;
  readonly provider: 'echo' | 'openai';
  readonly deployed: boolean;
}

/** Input of a new key from the keys form. */
export interface NewKeyInput {
  readonly name: string;
  readonly scopes: readonly string[];
  readonly expiresIn: string;
}

/**
 * Outcome of a workbench sign-in. Every credential failure is the same `INVALID_CREDENTIALS`; a locked address or
 * account is `LOGIN_THROTTLED`, which the route answers 429 with `Retry-After` (SPEC §14).
 */
export type WorkbenchLoginResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: 'INVALID_CREDENTIALS' }
  | { readonly ok: false; readonly code: 'LOGIN_THROTTLED'; readonly retryAfterSeconds: number };

/** What an emailed link is for: a forgotten password, or a new user's first password (SPEC §14). */
export type PasswordLinkPurpose = 'password-reset' | 'activation';

/**
 * Outcome of setting a password through an emailed link. `LINK_INVALID` (expired, used, or the user changed since) is
 * final; `PASSWORD_INVALID` leaves the link usable, so the person can try another password.
 */
export type PasswordLinkResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: 'LINK_INVALID' }
  | { readonly ok: false; readonly code: 'PASSWORD_INVALID'; readonly errors: readonly string[] };

/** Forgotten passwords and new users' first passwords, through emailed one-time links. */
export interface WorkbenchPasswordLinks {
  /** False when the server cannot email links (no sender or no `SMARTER_PUBLIC_URL`): the forgot form says so. */
  readonly emailEnabled: boolean;
  /**
   * Emails a reset link when the address belongs to an active user. Resolves the same way, as fast, either way: the
   * answer never tells whether an account exists.
   */
  requestReset(c: Context, email: string): Promise<void>;
  /** The link's user (their email, for the form) when its token is valid now; does not use it up. */
  checkToken(purpose: PasswordLinkPurpose, token: string): Promise<{ readonly email: string } | undefined>;
  /** Sets the password (validators first, so a refused password does not use the link up); ends the user's sessions. */
  setPassword(c: Context, purpose: PasswordLinkPurpose, token: string, password: string): Promise<PasswordLinkResult>;
}

/**
 * What the workbench pages need from auth, data and the security layer (ports). The server implements them over
 * `@smarter/auth` sessions and `@smarter/data` repositories; tests use memory fakes. Every method is scoped to the
 * signed-in user (and its account); nothing crosses accounts.
 */
export interface WorkbenchPorts {
  /** The signed-in user of this request (session cookie), or undefined. */
  currentUser(c: Context): Promise<WorkbenchSessionUser | undefined>;
  /** The CSP nonce and the masked CSRF token of this request (set by the security layer). */
  requestTokens(
    c: Context,
  ):
    | { readonly nonce: string; readonly csrfToken: string }
    | Promise<{ readonly nonce: string; readonly csrfToken: string }>;
  /** Verifies the credentials and starts a session (setting its cookie on `c`); says why a sign-in was refused. */
  login(c: Context, email: string, password: string): Promise<WorkbenchLoginResult>;
  /** Ends the session server-side and clears its cookie. */
  logout(c: Context): Promise<void>;
  /** Changes the password (ending other sessions); validator messages on refusal. */
  changePassword(
    c: Context,
    user: WorkbenchSessionUser,
    current: string,
    next: string,
  ): Promise<{ readonly ok: true } | { readonly ok: false; readonly errors: readonly string[] }>;
  readonly agents: {
    list(user: WorkbenchSessionUser): Promise<readonly AgentView[]>;
    get(user: WorkbenchSessionUser, name: string): Promise<AgentView | undefined>;
    /** Undefined when the name is taken. */
    create(user: WorkbenchSessionUser, input: NewAgentInput): Promise<AgentView | undefined>;
    setDeployed(user: WorkbenchSessionUser, name: string, deployed: boolean): Promise<boolean>;
    delete(user: WorkbenchSessionUser, name: string): Promise<boolean>;
  };
  readonly keys: {
    list(user: WorkbenchSessionUser): Promise<readonly KeyView[]>;
    create(user: WorkbenchSessionUser, input: NewKeyInput): Promise<{ readonly name: string; readonly key: string }>;
    revoke(user: WorkbenchSessionUser, id: string): Promise<boolean>;
  };
  readonly journal: {
    query(
      user: WorkbenchSessionUser,
      filter: {
        readonly type?: string | undefined;
        readonly principal?: string | undefined;
        readonly cursor?: string | undefined;
      },
    ): Promise<{ readonly events: readonly JournalEventView[]; readonly nextCursor?: string | undefined }>;
  };
  /** The chat provider of one of the user's agents (for the agent page's chat box), or undefined. */
  chatProvider(user: WorkbenchSessionUser, agent: string): Promise<ChatProvider | undefined>;
  /** `/password-reset`, `/reset` and `/activate`; absent, those pages are 404 and the login page has no link. */
  readonly passwords?: WorkbenchPasswordLinks;
  /** OAuth buttons on the login page (configured providers only). */
  readonly oauthProviders: readonly OAuthProviderView[];
  /** OAuth sign-in of the configured providers; absent when none is configured. */
  readonly oauth?: {
    /** Redirects to the provider (signed state + PKCE cookie). */
    start(c: Context, provider: string): Promise<Response>;
    /** Completes the sign-in (session and CSRF rotated); false for every failure. */
    callback(c: Context, provider: string): Promise<boolean>;
  };
}
