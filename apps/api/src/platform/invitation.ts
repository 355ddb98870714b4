import { type AccountRecord, type UserRecord, userTokenLink } from '@smarter/auth';
import type { AppServices } from '../services.ts';

/**
 * What became of a new user's set-your-password email: `sent`; `failed` (the sender refused it; the user can still
 * use "Forgot your password?"); `unavailable` (no sender or no `SMARTER_PUBLIC_URL`: the user can only sign in
 * through OAuth until one is configured).
 */
export type InvitationStatus = 'sent' | 'failed' | 'unavailable';

/**
 * Emails a user created by an admin (no password is ever chosen for them) a link to choose their own: an activation
 * token, which `@smarter/auth` intends for new users (it also marks the email verified, since the link reached that
 * mailbox). The link is built on the configured public URL, never on the request's host (SPEC §14).
 *
 * @example
 * const invitation = await emailPasswordSetup(services, created, { account, invitedBy: admin.email });
 */
export async function emailPasswordSetup(
  services: AppServices,
  user: UserRecord,
  context: { readonly account: AccountRecord; readonly invitedBy: string },
): Promise<InvitationStatus> {
  const { mail } = services;
  if (!mail) return 'unavailable';
  const link = userTokenLink(mail.linkBaseUrl, '/activate', await services.tokens.create('activation', user));
  try {
    await mail.sender.send({
      to: user.email,
      subject: 'Your Smarter account',
      text:
        `${context.invitedBy} added you to the Smarter account "${context.account.name}" ` +
        `(${context.account.number}).\n\nChoose your password within 24 hours (the link works once):\n\n${link}\n\n` +
        `Then sign in at ${new URL('/', mail.linkBaseUrl).toString()}\n`,
    });
    return 'sent';
  } catch {
    return 'failed';
  }
}
