import { SmarterError } from '@smarter/security';
import type { Role } from '../ports.ts';

/** The acting user as the helpers need it. */
export interface Actor {
  readonly id: string;
  readonly accountId: string;
  readonly role: Role;
  readonly active?: boolean;
}

/** Anything that belongs to an account. */
export interface AccountScoped {
  readonly accountId: string;
}

/** True when the actor may read or change things of `accountId`: its own account, or any for superusers. */
export function canAccessAccount(actor: Actor, accountId: string): boolean {
  if (actor.active === false) return false;
  return actor.role === 'superuser' || actor.accountId === accountId;
}

/** True when the actor administers `accountId` (admin of that account, or superuser). */
export function canAdministerAccount(actor: Actor, accountId: string): boolean {
  if (actor.active === false) return false;
  return actor.role === 'superuser' || (actor.role === 'admin' && actor.accountId === accountId);
}

/**
 * True when the actor may manage the keys of `owner`: members their own, admins their account's (but a superuser's
 * only if they are one: rotating a superuser's key hands out a superuser's token), superusers all.
 */
export function canManageKeysOf(
  actor: Actor,
  owner: { readonly id: string; readonly accountId: string; readonly role: Role },
): boolean {
  if (actor.active === false) return false;
  if (actor.id === owner.id && actor.accountId === owner.accountId) return true;
  return canManageUser(actor, owner);
}

/** True when the actor may change `target` (role, active flag): admins in their account, superusers anyone. */
export function canManageUser(
  actor: Actor,
  target: { readonly id: string; readonly accountId: string; readonly role: Role },
): boolean {
  if (!canAdministerAccount(actor, target.accountId)) return false;
  // Only a superuser makes or changes a superuser.
  return target.role !== 'superuser' || actor.role === 'superuser';
}

/**
 * Throws a 404 `NOT_FOUND` unless the actor may access the resource's account. 404 rather than 403, so another
 * account's ids are not confirmed to exist.
 *
 * @example
 * const agent = assertAccountAccess(actor, await agents.get(id));
 */
export function assertAccountAccess<T extends AccountScoped>(actor: Actor, resource: T | undefined): T {
  if (!resource || !canAccessAccount(actor, resource.accountId)) {
    throw new SmarterError('NOT_FOUND', 'Not found', { status: 404 });
  }
  return resource;
}

/** Throws a 403 `FORBIDDEN` unless the actor has one of the roles. */
export function assertRole(actor: Actor, ...roles: readonly Role[]): void {
  if (actor.active === false || !roles.includes(actor.role)) {
    throw new SmarterError('FORBIDDEN', 'Forbidden', { status: 403 });
  }
}
