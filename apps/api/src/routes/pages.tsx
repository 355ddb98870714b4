import { Hono } from 'hono';

/** Server-rendered pages of the platform host. */
export function pageRoutes(): Hono {
  const app = new Hono();
  app.get('/', (c) =>
    c.html(
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>Smarter</title>
        </head>
        <body>
          <main>
            <h1>Smarter</h1>
            <p>Security platform for Hono APIs that serve LLM agents.</p>
          </main>
        </body>
      </html>,
    ),
  );
  return app;
}
