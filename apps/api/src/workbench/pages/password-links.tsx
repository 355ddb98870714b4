/** @jsxImportSource hono/jsx */
import { CsrfField, ErrorList, NewPasswordFields } from '../components.tsx';
import { AuthCard } from '../layout.tsx';
import type { PasswordLinkPurpose } from '../ports.ts';
import type { PageContext } from '../types.ts';

/** Props of {@link ForgotPasswordPage}. */
export interface ForgotPasswordPageProps {
  readonly ctx: PageContext;
  /** `form` asks for the address; `sent` is the one answer for every address; `unavailable` when no email is set up. */
  readonly state: 'form' | 'sent' | 'unavailable';
  readonly error?: string | undefined;
}

/** `GET|POST /password-reset`: asks for an email address and answers the same whether or not it has an account. */
export function ForgotPasswordPage(props: ForgotPasswordPageProps) {
  const { ctx } = props;
  return (
    <AuthCard title="Reset your password" ctx={ctx}>
      {props.state === 'sent' ? (
        <div class="flash flash-success" role="status">
          If an account uses that address, we have sent it a link to choose a new password. The link works once, for 24
          hours.
        </div>
      ) : props.state === 'unavailable' ? (
        <div class="flash flash-info" role="status">
          This server cannot send emails, so passwords cannot be reset by email. Ask an administrator.
        </div>
      ) : (
        <>
          <p class="muted">Enter the email address you sign in with. We will email you a link to choose a new one.</p>
          {props.error ? (
            <div class="flash flash-error" role="alert">
              {props.error}
            </div>
          ) : null}
          <form method="post" action="/password-reset" class="stack">
            <CsrfField token={ctx.csrfToken} />
            <label class="field">
              <span>Email</span>
              <input type="email" name="email" autocomplete="username" required maxlength={254} />
            </label>
            <button type="submit" class="btn btn-primary btn-block">
              Email me a link
            </button>
          </form>
        </>
      )}
      <p class="auth-foot muted small">
        <a href="/">Back to sign in</a>
      </p>
    </AuthCard>
  );
}

const TITLES: Readonly<Record<PasswordLinkPurpose, string>> = {
  'password-reset': 'Choose a new password',
  activation: 'Choose your password',
};

/** Props of {@link SetPasswordPage}. */
export interface SetPasswordPageProps {
  readonly ctx: PageContext;
  readonly purpose: PasswordLinkPurpose;
  /** Whose password it is (for password managers and the person); the link's token stays in its cookie. */
  readonly email: string;
  /** Validator messages (Django's semantics). */
  readonly errors?: readonly string[] | undefined;
}

/** `GET /reset`, `GET /activate`: the new password, twice. The form posts back to the same path. */
export function SetPasswordPage(props: SetPasswordPageProps) {
  const { ctx } = props;
  const action = props.purpose === 'activation' ? '/activate' : '/reset';
  return (
    <AuthCard title={TITLES[props.purpose]} ctx={ctx}>
      <p class="muted">
        For <strong>{props.email}</strong>.{' '}
        {props.purpose === 'activation'
          ? 'You will sign in with it.'
          : 'Every session of this account is signed out when it changes.'}
      </p>
      <ErrorList errors={props.errors} />
      <form method="post" action={action} class="stack">
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="username" autocomplete="username" value={props.email} />
        <NewPasswordFields />
        <button type="submit" class="btn btn-primary btn-block">
          Set password
        </button>
      </form>
    </AuthCard>
  );
}

/** A link that is expired, used, or no longer matches its user (one answer for all three). */
export function LinkInvalidPage(props: { ctx: PageContext; purpose: PasswordLinkPurpose }) {
  return (
    <AuthCard title="This link does not work" ctx={props.ctx}>
      <div class="flash flash-error" role="alert">
        The link has expired or was already used. Links work once, for 24 hours.
      </div>
      <p class="muted">
        {props.purpose === 'activation'
          ? 'Ask your administrator for a new one, or ask for a password reset with your email address.'
          : 'Ask for a new one below.'}
      </p>
      <p>
        <a class="btn btn-secondary btn-block" href="/password-reset">
          Email me a new link
        </a>
      </p>
    </AuthCard>
  );
}
