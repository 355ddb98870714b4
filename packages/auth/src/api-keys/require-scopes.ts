import { problemResponse, requestIdOf, SmarterConfigError } from '@smarter/security';
import type { MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AuthVariables } from '../principal/principal.ts';
import { unauthenticatedResponse } from '../principal/unauthenticated.ts';

const SCOPE = /^[a-z][a-z0-9_.-]*(?::[a-z0-9_.*-]+)*$/;

/**
 * Route-level scope check. A key principal must hold every scope (or `*`); a session principal is not scope-bound
 * (its role governs). Without a principal: 401; missing scopes: 403 `INSUFFICIENT_SCOPE`.
 *
 * @example
 * app.delete('/api/v1/agents/:name', requireScopes('agents:write'), handler);
 */
export function requireScopes(...scopes: readonly string[]): MiddlewareHandler<{ Variables: AuthVariables }> {
  if (scopes.length === 0)
    throw new SmarterConfigError('requireScopes needs at least one scope, e.g. requireScopes("agents:read").');
  for (const scope of scopes) {
    if (!SCOPE.test(scope))
      throw new SmarterConfigError(`Scope "${scope}" is not valid: use lower-case "resource:action".`);
  }
  const challenge = `Bearer error="insufficient_scope", scope="${scopes.join(' ')}"`;
  return createMiddleware<{ Variables: AuthVariables }>(async function scopeCheck(c, next) {
    const principal = c.get('principal');
    if (!principal) return unauthenticatedResponse(c);
    if (principal.kind === 'apiKey' && !principal.scopes.includes('*')) {
      for (const scope of scopes) {
        if (!principal.scopes.includes(scope)) {
          return problemResponse(
            { status: 403, code: 'INSUFFICIENT_SCOPE', title: 'Insufficient scope', requestId: requestIdOf(c) },
            { 'www-authenticate': challenge },
          );
        }
      }
    }
    return next();
  });
}
