import { csrfToken } from '@smarter/security';
import { Hono } from 'hono';

const READY_SCRIPT = 'document.documentElement.dataset.ready = "1";';

/** Server-rendered pages of the platform host. */
export function pageRoutes(): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    // The CSP nonce of this response (secure headers) and a masked CSRF token (sets the token cookie if needed).
    const nonce = c.get('cspNonce' as never) as string;
    const token = await csrfToken(c);
    return c.html(
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="csrf-token" content={token} />
          <title>Smarter</title>
        </head>
        <body>
          <main>
            <h1>Smarter</h1>
            <p>Security platform for Hono APIs that serve LLM agents.</p>
            <form method="post" action="/login">
              <input type="hidden" name="csrfmiddlewaretoken" value={token} />
              <label>
                Email <input type="email" name="email" autocomplete="username" required />
              </label>
              <label>
                Password <input type="password" name="password" autocomplete="current-password" required />
              </label>
              <button type="submit">Sign in</button>
            </form>
          </main>
          {/* A constant, nonced inline script: the only kind the page's CSP lets run. */}
          <script nonce={nonce} dangerouslySetInnerHTML={{ __html: READY_SCRIPT }} />
        </body>
      </html>,
    );
  });
  return app;
}
