import { problemResponse, requestIdOf } from '@smarter/security';
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { type AppEnv, type AppServices, agentIdOf, principalOf } from './services.ts';

/** The only paths an agent host answers (SPEC §21); everything else there is 404. */
export const AGENT_HOST_PATHS: ReadonlySet<string> = new Set(['/api/v1/config', '/api/v1/chat']);

/**
 * Splits agent hosts from the platform host: on an agent host only {@link AGENT_HOST_PATHS} go on; on the platform
 * host those paths are 404 (they only exist for an agent). Answers 404 problem+json before any handler.
 */
export function agentHostGate(): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async function agentHostGate(c, next) {
    const onAgentHost = agentIdOf(c) !== undefined;
    if (onAgentHost === AGENT_HOST_PATHS.has(c.req.path)) return next();
    return notFound(c);
  });
}

/** A 404 problem+json (no echo of the path). */
export function notFound(c: Context): Response {
  return problemResponse(
    { status: 404, code: 'NOT_FOUND', title: 'Not found', requestId: requestIdOf(c) },
    { 'cache-control': 'no-store' },
  );
}

/**
 * The CSRF identity of a request (SPEC §9): the hash of its session id. The CSRF guard runs before the auth
 * middleware, so the session is read here when a session cookie is present, and kept as the principal.
 */
export function csrfSession(services: AppServices): (c: Context) => Promise<string | undefined> {
  const cookieName = services.sessions.options.cookieName;
  return async function csrfSessionIdentity(c) {
    const current = principalOf(c);
    if (current) return current.kind === 'session' ? current.sessionIdHash : undefined;
    if (!c.req.header('cookie')?.includes(cookieName)) return undefined;
    const session = await services.sessions.read(c);
    if (session) c.set('principal', session);
    return session?.sessionIdHash;
  };
}
