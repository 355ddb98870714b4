import { problemResponse, requestIdOf, SmarterConfigError } from '@smarter/security';
import type { Context } from 'hono';

const REALM = /^[\w .-]{1,64}$/;

/**
 * The `WWW-Authenticate` challenge of a 401: the two schemes an API key is accepted under (SPEC §12). Session-only
 * routes send it too, because RFC 9110 requires a challenge on every 401 and it is how a client without a browser
 * learns to authenticate. Throws a {@link SmarterConfigError} for a realm that would break the header.
 *
 * @example
 * authChallenge('smarter'); // 'Bearer realm="smarter", Token realm="smarter"'
 */
export function authChallenge(realm = 'smarter'): string {
  if (!REALM.test(realm)) throw new SmarterConfigError('realm must be 1-64 letters, digits, spaces, dots or dashes.');
  return `Bearer realm="${realm}", Token realm="${realm}"`;
}

const DEFAULT_CHALLENGE = authChallenge();

/**
 * The one 401 of every authentication failure (no credentials, a stale session, a bad key): problem+json
 * `UNAUTHENTICATED` with the challenge and `no-store`, the same body whatever failed but the request id, so a client
 * cannot tell a missing session from a revoked key (SPEC §12). The reason goes to the journal, never here.
 *
 * @example
 * if (!principal) return unauthenticatedResponse(c);
 */
export function unauthenticatedResponse(c: Context, challenge: string = DEFAULT_CHALLENGE): Response {
  return problemResponse(
    { status: 401, code: 'UNAUTHENTICATED', title: 'Authentication required', requestId: requestIdOf(c) },
    { 'www-authenticate': challenge, 'cache-control': 'no-store' },
  );
}
