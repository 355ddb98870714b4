import type { Database } from '@smarter/data';
import { schemaVersion } from '@smarter/data';
import { Hono } from 'hono';

/** Version reported by the status route. */
export const API_VERSION = '0.1.0';

/** The JSON API under `/api/v1`. */
export function apiRoutes(db: Database): Hono {
  const app = new Hono();
  app.get('/status', async (c) => {
    c.header('cache-control', 'no-store');
    try {
      await db.ping();
      return c.json({
        status: 'ok',
        version: API_VERSION,
        database: { driver: db.driver, schema: await schemaVersion(db) },
      });
    } catch {
      return c.json({ status: 'degraded', version: API_VERSION, database: { driver: db.driver, schema: null } }, 503);
    }
  });
  return app;
}
