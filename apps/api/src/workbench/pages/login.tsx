/** @jsxImportSource hono/jsx */
import { CsrfField } from '../components.tsx';
import { AuthCard } from '../layout.tsx';
import type { Flash, OAuthProviderView, PageContext } from '../types.ts';

/** Props of {@link LoginPage}. */
export interface LoginPageProps {
  readonly ctx: PageContext;
  readonly providers: readonly OAuthProviderView[];
  /** The uniform failure message (never says which of email or password was wrong). */
  readonly error?: string | undefined;
  readonly email?: string | undefined;
  /** A validated local path to return to after login. */
  readonly next?: string | undefined;
  /** A notice above the form (a password just set through an emailed link). */
  readonly notice?: Flash | undefined;
  /** Shows "Forgot your password?" linking here (when the server can email reset links). */
  readonly forgotHref?: string | undefined;
}

const ICONS: Readonly<Record<OAuthProviderView['id'], string>> = {
  google: 'G',
  github: 'GH',
  linkedin: 'in',
};

/** The sign-in page: password form and OAuth buttons. */
export function LoginPage(props: LoginPageProps) {
  const { ctx } = props;
  return (
    <AuthCard
      title="Sign in"
      ctx={ctx}
      foot={<p class="auth-foot muted small">Protected by Smarter · CSRF, CSP and session security on every request</p>}
    >
      <p class="muted">Manage your agents, keys and journal.</p>
      {props.notice ? (
        <div class={`flash flash-${props.notice.kind}`} role="status">
          {props.notice.message}
        </div>
      ) : null}
      {props.error ? (
        <div class="flash flash-error" role="alert">
          {props.error}
        </div>
      ) : null}
      <form method="post" action="/login" class="stack">
        <CsrfField token={ctx.csrfToken} />
        {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
        <label class="field">
          <span>Email</span>
          <input type="email" name="email" autocomplete="username" required value={props.email ?? ''} />
        </label>
        <label class="field">
          <span>Password</span>
          <input type="password" name="password" autocomplete="current-password" required />
        </label>
        <button type="submit" class="btn btn-primary btn-block">
          Sign in
        </button>
      </form>
      {props.forgotHref ? (
        <p class="small">
          <a href={props.forgotHref}>Forgot your password?</a>
        </p>
      ) : null}
      {props.providers.length > 0 ? (
        <>
          <div class="divider">
            <span>or continue with</span>
          </div>
          <div class="oauth">
            {props.providers.map((p) => (
              <a class={`btn btn-oauth btn-${p.id}`} href={p.href}>
                <span class="oauth-icon" aria-hidden="true">
                  {ICONS[p.id]}
                </span>
                {p.label}
              </a>
            ))}
          </div>
        </>
      ) : null}
    </AuthCard>
  );
}
