import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { PasswordLinkPurpose } from './ports.ts';

/** The page of each emailed link (`/reset?token=…`, `/activate?token=…`). */
export const LINK_PATHS: Readonly<Record<PasswordLinkPurpose, '/reset' | '/activate'>> = {
  'password-reset': '/reset',
  activation: '/activate',
};

/** What a token looks like (`@smarter/auth` user tokens): base64url parts joined by dots, bounded. */
const TOKEN = /^[A-Za-z0-9_-]{1,200}(?:\.[A-Za-z0-9_-]{1,200}){3}$/;
/** Long enough to choose a password; the link itself stays valid for its 24 hours and can be opened again. */
const MAX_AGE_SECONDS = 3600;

/** True when `value` is shaped like a link token (anything else is never stored or checked). */
export function isLinkToken(value: string | undefined): value is string {
  return value !== undefined && value.length <= 512 && TOKEN.test(value);
}

/**
 * Where the token of an emailed link waits while its page is open. The link's `GET` moves the token here and
 * redirects to the bare path (as Django does), so the page the person types a password on has no token in its URL:
 * nothing for a `Referer`, the history or a screenshot. The page cannot use `Referrer-Policy: no-referrer` instead,
 * because browsers then send `Origin: null` on its form post, which the CSRF check refuses.
 *
 * The cookie is HttpOnly, SameSite=Lax (the link is opened from a mail client, another site), scoped to the link's
 * path, Secure with the `__Secure-` prefix unless cookies are plain-http (development).
 */
export interface LinkCookie {
  /** The waiting token, when it is shaped like one. */
  read(c: Context, purpose: PasswordLinkPurpose): string | undefined;
  keep(c: Context, purpose: PasswordLinkPurpose, token: string): void;
  clear(c: Context, purpose: PasswordLinkPurpose): void;
}

/**
 * Creates the link-token cookie helpers.
 *
 * @example
 * const links = linkCookie({ secure: config.cookieSecure });
 * links.keep(c, 'password-reset', token);
 */
export function linkCookie(options: { readonly secure: boolean }): LinkCookie {
  const name = (purpose: PasswordLinkPurpose) =>
    `${options.secure ? '__Secure-' : ''}smarter_${purpose === 'activation' ? 'activation' : 'reset'}_link`;
  const attributes = (purpose: PasswordLinkPurpose) =>
    `Path=${LINK_PATHS[purpose]}; HttpOnly; SameSite=Lax${options.secure ? '; Secure' : ''}`;
  return {
    read(c, purpose) {
      const value = getCookie(c, name(purpose));
      return isLinkToken(value) ? value : undefined;
    },
    keep(c, purpose, token) {
      c.header('set-cookie', `${name(purpose)}=${token}; Max-Age=${MAX_AGE_SECONDS}; ${attributes(purpose)}`, {
        append: true,
      });
    },
    clear(c, purpose) {
      c.header('set-cookie', `${name(purpose)}=; Max-Age=0; ${attributes(purpose)}`, { append: true });
    },
  };
}
