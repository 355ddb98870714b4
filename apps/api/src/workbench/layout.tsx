/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { CsrfField, FlashMessage } from './components.tsx';
import type { Flash, PageContext } from './types.ts';

/** Which navigation entry is current. */
export type NavSection = 'agents' | 'keys' | 'journal' | 'account';

function Logo() {
  return (
    <span class="logo" aria-hidden="true">
      <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
        <title>Smarter</title>
        <path d="M12 2 3 7v10l9 5 9-5V7l-9-5Z" fill="currentColor" opacity=".18" />
        <path d="M12 2 3 7l9 5 9-5-9-5Z" fill="currentColor" />
        <path d="M12 12v10" stroke="currentColor" stroke-width="1.6" />
      </svg>
    </span>
  );
}

/** The HTML document: head with CSP-nonced assets and the CSRF meta tag. */
export function Document(props: { title: string; ctx: PageContext; bodyClass?: string; children?: Child }) {
  const { ctx } = props;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="csrf-token" content={ctx.csrfToken} />
        <meta name="referrer" content="same-origin" />
        <link rel="icon" href="data:," />
        <title>{`${props.title} · Smarter`}</title>
        <link rel="stylesheet" href={`${ctx.staticUrl}workbench.css`} nonce={ctx.nonce} />
        <script src={`${ctx.staticUrl}workbench.js`} nonce={ctx.nonce} defer />
      </head>
      <body class={props.bodyClass}>{props.children}</body>
    </html>
  );
}

/** The signed-in frame: sidebar navigation, account, logout, and the page. */
export function AppLayout(props: {
  title: string;
  ctx: PageContext;
  section: NavSection;
  flash?: Flash | undefined;
  children?: Child;
}) {
  const { ctx, section } = props;
  const admin = ctx.user?.role === 'admin' || ctx.user?.role === 'superuser';
  const link = (href: string, id: NavSection, label: string) => (
    <a
      href={href}
      class={section === id ? 'nav-link active' : 'nav-link'}
      aria-current={section === id ? 'page' : undefined}
    >
      {label}
    </a>
  );
  return (
    <Document title={props.title} ctx={ctx} bodyClass="app">
      <aside class="sidebar">
        <a href="/" class="brand">
          <Logo />
          <span>Smarter</span>
        </a>
        <nav aria-label="Main">
          {link('/', 'agents', 'Agents')}
          {link('/keys', 'keys', 'API keys')}
          {admin ? link('/journal', 'journal', 'Journal') : null}
          {link('/account/password', 'account', 'Account')}
        </nav>
        {ctx.user ? (
          <div class="account">
            <div class="avatar" aria-hidden="true">
              {ctx.user.email.slice(0, 1).toUpperCase()}
            </div>
            <div class="account-text">
              <span class="account-email">{ctx.user.email}</span>
              <span class="muted small">
                {ctx.user.accountName} · {ctx.user.role}
              </span>
            </div>
            <form method="post" action="/logout">
              <CsrfField token={ctx.csrfToken} />
              <button type="submit" class="btn btn-ghost btn-sm">
                Log out
              </button>
            </form>
          </div>
        ) : null}
      </aside>
      <main class="content" id="main">
        <FlashMessage flash={props.flash} />
        {props.children}
      </main>
    </Document>
  );
}

/** The signed-out card (sign-in, forgotten password, emailed links): brand, title, content, and a line under it. */
export function AuthCard(props: { title: string; ctx: PageContext; children?: Child; foot?: Child }) {
  return (
    <Document title={props.title} ctx={props.ctx} bodyClass="auth">
      <main class="auth-main">
        <div class="auth-card">
          <div class="auth-brand">
            <span class="logo-mark" aria-hidden="true">
              ◆
            </span>
            <span>Smarter</span>
          </div>
          <h1>{props.title}</h1>
          {props.children}
        </div>
        {props.foot}
      </main>
    </Document>
  );
}
