import { type AccountRecord, type UserRecord, userTokenLink } from '@smarter/auth';
import type { AppServices } from '../services.ts';

/**
 * What became of a new user's set-your-password email: `sent`; `failed` (the sender refused it; the user can still
 * use "Forgot your password?"); `unavailable` (no sender or no `SMARTER_PUBLIC_URL`: the user can only sign in
 * through OAuth until one is configured).
 */
export type InvitationStatus = 'sent' | 'failed' | 'unavailable';

/** How long `POST /users` waits for the sender before answering `failed` (the user can still ask for a reset link). */
export const SEND_TIMEOUT_MS = 10_000;

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
  // Inside the try with the send: the user row exists already, so a failure here is reported, not a 500 that a retry
  // would turn into 409 and leave the user without a link. A sender that hangs is given up on after a while.
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const link = userTokenLink(mail.linkBaseUrl, '/activate', await services.tokens.create('activation', user));
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('email sender timed out')), SEND_TIMEOUT_MS);
    });
    const sent = mail.sender.send({
      to: user.email,
      subject: 'Your Smarter account',
      text:
        `${context.invitedBy} added you to the Smarter account "${context.account.name}" ` +
        `(${context.account.number}).\n\nChoose your password within 24 hours (the link works once):\n\n${link}\n\n` +
        `Then sign in at ${new URL('/', mail.linkBaseUrl).toString()}\n`,
    });
    await Promise.race([sent, timeout]);
    return 'sent';
  } catch {
    return 'failed';
  } finally {
    clearTimeout(timer);
  }
}
