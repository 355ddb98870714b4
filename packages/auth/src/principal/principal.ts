import type { Role } from '../ports.ts';

/** Who made a request, as the auth middleware established it. Never holds a token or a session id. */
export type Principal = ApiKeyPrincipal | SessionPrincipal;

/** A request authenticated by an API key (`Authorization: Token|Bearer …`). */
export interface ApiKeyPrincipal {
  readonly kind: 'apiKey';
  readonly userId: string;
  readonly accountId: string;
  readonly role: Role;
  readonly keyId: string;
  readonly scopes: readonly string[];
  /** Agents the key is bound to; empty when not bound. */
  readonly agentIds: readonly string[];
}

/** A request authenticated by a session cookie. */
export interface SessionPrincipal {
  readonly kind: 'session';
  readonly userId: string;
  readonly accountId: string;
  readonly role: Role;
  /** SHA-256 of the session id: the identity a CSRF token binds to (never the id itself). */
  readonly sessionIdHash: string;
}

/** Typed Hono variables set by the auth middleware. */
export interface AuthVariables {
  principal?: Principal;
}
