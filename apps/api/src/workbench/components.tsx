/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { Flash } from './types.ts';

/** The hidden CSRF field every form carries. */
export function CsrfField(props: { token: string }) {
  return <input type="hidden" name="csrfmiddlewaretoken" value={props.token} />;
}

/** The new password and its confirmation, as every form that sets a password asks for them. */
export function NewPasswordFields() {
  return (
    <>
      <label class="field">
        <span>New password</span>
        <input type="password" name="new_password" autocomplete="new-password" required minlength={12} />
        <span class="hint">At least 12 characters, not common, not all digits, not like your email.</span>
      </label>
      <label class="field">
        <span>Confirm new password</span>
        <input type="password" name="new_password_confirm" autocomplete="new-password" required minlength={12} />
      </label>
    </>
  );
}

/** A form's errors as one alert (validators' messages, in order); nothing when there are none. */
export function ErrorList(props: { errors?: readonly string[] | undefined }) {
  if (!props.errors || props.errors.length === 0) return null;
  return (
    <div class="flash flash-error" role="alert">
      <ul>
        {props.errors.map((e) => (
          <li>{e}</li>
        ))}
      </ul>
    </div>
  );
}

/** A POST form with its CSRF field. `confirm` asks before submitting (handled by workbench.js, no inline JS). */
export function PostForm(props: {
  action: string;
  csrfToken: string;
  confirm?: string | undefined;
  class?: string | undefined;
  children?: Child;
}) {
  return (
    <form method="post" action={props.action} class={props.class} data-confirm={props.confirm}>
      <CsrfField token={props.csrfToken} />
      {props.children}
    </form>
  );
}

/** A small status label. */
export function Badge(props: { tone: 'green' | 'gray' | 'amber' | 'red' | 'blue' | 'violet'; children?: Child }) {
  return <span class={`badge badge-${props.tone}`}>{props.children}</span>;
}

/** Title row of a page, with optional actions on the right. */
export function PageHeader(props: { title: string; subtitle?: string | undefined; children?: Child }) {
  return (
    <header class="page-header">
      <div>
        <h1>{props.title}</h1>
        {props.subtitle ? <p class="muted">{props.subtitle}</p> : null}
      </div>
      {props.children ? <div class="page-actions">{props.children}</div> : null}
    </header>
  );
}

/** A notice at the top of the page. */
export function FlashMessage(props: { flash?: Flash | undefined }) {
  if (!props.flash) return null;
  return (
    <div class={`flash flash-${props.flash.kind}`} role={props.flash.kind === 'error' ? 'alert' : 'status'}>
      {props.flash.message}
    </div>
  );
}

/** A bordered panel. */
export function Card(props: { title?: string | undefined; class?: string | undefined; children?: Child }) {
  return (
    <section class={`card ${props.class ?? ''}`}>
      {props.title ? <h2 class="card-title">{props.title}</h2> : null}
      {props.children}
    </section>
  );
}

/** Shown when a list is empty. */
export function EmptyState(props: { title: string; children?: Child }) {
  return (
    <div class="empty">
      <p class="empty-title">{props.title}</p>
      <p class="muted">{props.children}</p>
    </div>
  );
}

/** A date as the workbench shows it (UTC, stable for tests and screenshots). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}
