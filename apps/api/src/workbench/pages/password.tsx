/** @jsxImportSource hono/jsx */
import { Card, ErrorList, NewPasswordFields, PageHeader, PostForm } from '../components.tsx';
import { AppLayout } from '../layout.tsx';
import type { Flash, PageContext } from '../types.ts';

/** Props of {@link PasswordPage}. */
export interface PasswordPageProps {
  readonly ctx: PageContext;
  /** Validator messages (Django's semantics), shown as a list. */
  readonly errors?: readonly string[] | undefined;
  readonly flash?: Flash | undefined;
}

/** Change password (ends every other session). */
export function PasswordPage(props: PasswordPageProps) {
  const { ctx } = props;
  return (
    <AppLayout title="Change password" ctx={ctx} section="account" flash={props.flash}>
      <PageHeader title="Account" subtitle={ctx.user ? `Signed in as ${ctx.user.email}` : undefined} />
      <Card title="Change password" class="narrow">
        <ErrorList errors={props.errors} />
        <PostForm action="/account/password" csrfToken={ctx.csrfToken} class="stack">
          <label class="field">
            <span>Current password</span>
            <input type="password" name="current_password" autocomplete="current-password" required />
          </label>
          <NewPasswordFields />
          <p class="muted small">Changing your password signs you out everywhere else.</p>
          <button type="submit" class="btn btn-primary">
            Change password
          </button>
        </PostForm>
      </Card>
    </AppLayout>
  );
}
