import { Hono } from 'hono';
import { buildOpenApiDocument, type OpenApiDocumentOptions } from './document.ts';

/**
 * Serves the OpenAPI document at `GET /openapi.json` (mount under `/api/v1`). Built once, on first request.
 *
 * @example
 * app.route('/api/v1', openApiRoutes({ apiDomain: config.apiDomain }));
 */
export function openApiRoutes(options: OpenApiDocumentOptions = {}): Hono {
  const app = new Hono();
  let body: string | undefined;
  app.get('/openapi.json', function openApiDocument(c) {
    body ??= JSON.stringify(buildOpenApiDocument(options));
    c.header('content-type', 'application/json; charset=utf-8');
    c.header('cache-control', 'no-cache');
    return c.body(body);
  });
  return app;
}
