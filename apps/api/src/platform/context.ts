import type { UserRecord } from '@smarter/auth';
import { SmarterError } from '@smarter/security';
import type { Context } from 'hono';
import type { AppServices, AppVariables } from '../services.ts';

/** The authenticated user of a request, loaded fresh (role and active flag as they are now). */
export async function currentUser(c: Context): Promise<UserRecord> {
  const principal = c.get('principal' as never) as AppVariables['principal'] | undefined;
  if (!principal) throw new SmarterError('UNAUTHENTICATED', 'Authentication required', { status: 401 });
  const user = await servicesOf(c).repositories.users.getById(principal.userId);
  if (!user?.active) throw new SmarterError('UNAUTHENTICATED', 'Authentication required', { status: 401 });
  return user;
}

/** The services of a request. */
export function servicesOf(c: Context): AppServices {
  return c.get('services' as never) as AppVariables['services'];
}

export { requestIdOf } from '@smarter/security';

/** A 404 that reads the same for a missing resource and another account's. */
export function notFoundError(): SmarterError {
  return new SmarterError('NOT_FOUND', 'Not found', { status: 404 });
}

/** A 403 for a role that may not do this. */
export function forbiddenError(): SmarterError {
  return new SmarterError('FORBIDDEN', 'Forbidden', { status: 403 });
}

/** Epoch ms as ISO 8601, or null. */
export function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}
