/** @jsxImportSource hono/jsx */
import { secureHeadersOverride } from '@smarter/security';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { formFields as form } from './form-fields.ts';
import { isLinkToken, LINK_PATHS, linkCookie } from './link-cookie.ts';
import { ForgotPasswordPage, LinkInvalidPage, SetPasswordPage } from './pages/password-links.tsx';
import type { PasswordLinkPurpose, WorkbenchPasswordLinks } from './ports.ts';
import type { PageContext } from './types.ts';

const forgotForm = z.object({ email: z.string().trim().min(1).max(254) });
const newPasswordForm = z.object({
  new_password: z.string().min(1).max(1024),
  new_password_confirm: z.string().min(1).max(1024),
});

/** What {@link passwordLinkRoutes} shares with the other routes. */
export interface PageTools {
  readonly html: (c: Context, node: unknown, status?: 200 | 400 | 503) => Response | Promise<Response>;
  readonly pageContext: (c: Context) => Promise<PageContext>;
  readonly secure: boolean | undefined;
}

/**
 * `GET|POST /password-reset` (ask for a link; one answer whether or not the account exists) and, for each emailed
 * link, `GET /reset?token=…` / `GET /activate?token=…` (the token moves to a cookie, see `link-cookie.ts`), then
 * `GET|POST /reset`, `/activate` (the new password; validators' messages shown; the token used up only on success).
 */
export function passwordLinkRoutes(app: Hono, passwords: WorkbenchPasswordLinks, tools: PageTools): void {
  const { html, pageContext } = tools;
  const links = linkCookie({ secure: tools.secure ?? true });
  const noReferrer = secureHeadersOverride({ headers: { 'referrer-policy': 'no-referrer' } });
  // The one response whose URL holds a token says no-referrer: nothing that follows it may carry that URL.
  const tokenInUrl: MiddlewareHandler = async function tokenInUrl(c, next) {
    return c.req.query('token') === undefined ? next() : noReferrer(c, next);
  };

  app.get('/password-reset', async function forgotPasswordPage(c) {
    const state = passwords.emailEnabled ? 'form' : 'unavailable';
    return html(c, <ForgotPasswordPage ctx={await pageContext(c)} state={state} />);
  });

  app.post('/password-reset', async function forgotPassword(c) {
    if (!passwords.emailEnabled) {
      return html(c, <ForgotPasswordPage ctx={await pageContext(c)} state="unavailable" />, 503);
    }
    const parsed = forgotForm.safeParse(await form(c));
    if (!parsed.success) {
      const error = 'Enter the email address you sign in with.';
      return html(c, <ForgotPasswordPage ctx={await pageContext(c)} state="form" error={error} />, 400);
    }
    await passwords.requestReset(c, parsed.data.email);
    return html(c, <ForgotPasswordPage ctx={await pageContext(c)} state="sent" />);
  });

  const linkInvalid = async (c: Context, purpose: PasswordLinkPurpose) => {
    links.clear(c, purpose);
    return html(c, <LinkInvalidPage ctx={await pageContext(c)} purpose={purpose} />, 400);
  };

  for (const purpose of ['password-reset', 'activation'] as const) {
    const path = LINK_PATHS[purpose];
    const done = purpose === 'activation' ? 'activated' : 'password-reset';

    app.get(path, tokenInUrl, async function passwordLinkPage(c) {
      const fromUrl = c.req.query('token');
      if (fromUrl !== undefined) {
        if (isLinkToken(fromUrl)) links.keep(c, purpose, fromUrl);
        else links.clear(c, purpose);
        return c.redirect(path, 303);
      }
      const token = links.read(c, purpose);
      const user = token ? await passwords.checkToken(purpose, token) : undefined;
      if (!user) return linkInvalid(c, purpose);
      return html(c, <SetPasswordPage ctx={await pageContext(c)} purpose={purpose} email={user.email} />);
    });

    app.post(path, async function setPasswordFromLink(c) {
      const token = links.read(c, purpose);
      const user = token ? await passwords.checkToken(purpose, token) : undefined;
      if (!token || !user) return linkInvalid(c, purpose);
      const again = async (errors: readonly string[]) =>
        html(
          c,
          <SetPasswordPage ctx={await pageContext(c)} purpose={purpose} email={user.email} errors={errors} />,
          400,
        );
      const parsed = newPasswordForm.safeParse(await form(c));
      if (!parsed.success) return again(['Fill in both fields.']);
      if (parsed.data.new_password !== parsed.data.new_password_confirm) return again(['The two passwords differ.']);
      const result = await passwords.setPassword(c, purpose, token, parsed.data.new_password);
      if (result.ok) {
        links.clear(c, purpose);
        return c.redirect(`/?done=${done}`, 303);
      }
      return result.code === 'LINK_INVALID' ? linkInvalid(c, purpose) : again(result.errors);
    });
  }
}
