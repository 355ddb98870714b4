// Scenario: the reference app (apps/api, built) on Node, Bun, Deno and workerd, same routes, so the runtime cost shows.
import { RUNTIMES } from '../peers/registry.ts';
import { type MatrixRoute, runMatrix } from './http-matrix.ts';
import { matrixCharts, matrixNotes, matrixTables } from './matrix-report.ts';
import type { Scenario } from './types.ts';

/** The routes of the reference app measured on every runtime. */
export const APP_ROUTES: readonly MatrixRoute[] = [
  { id: 'healthz', label: 'GET /healthz (small JSON)', method: 'GET', path: '/healthz', status: 200 },
  { id: 'status', label: 'GET /api/v1/status (JSON + DB)', method: 'GET', path: '/api/v1/status', status: 200 },
  {
    id: 'unknown',
    label: 'GET unknown path',
    method: 'GET',
    path: '/api/v1/no-such-route',
    status: 404,
    rotateClient: true,
  },
];

export const runtimesScenario: Scenario = {
  id: 'runtimes',
  title: 'The reference app on four runtimes',
  description:
    'The reference server (`apps/api`, built entries) on Node (@hono/node-server, better-sqlite3), Bun (Bun.serve, bun:sqlite), Deno (Deno.serve, node:sqlite) and workerd (Miniflare listening on a port, D1).',
  async run({ settings, log }) {
    const result = await runMatrix({ servers: RUNTIMES, routes: APP_ROUTES, settings, log });
    const columns = RUNTIMES.map((p) => ({ id: p.id, label: p.label }));
    return {
      id: this.id,
      title: this.title,
      description: this.description,
      tables: matrixTables(result, columns, APP_ROUTES, columns[0]!, 'Runtimes'),
      charts: matrixCharts(result, columns, APP_ROUTES, 'Reference app per runtime'),
      targets: [],
      notes: matrixNotes(result, columns, APP_ROUTES),
      raw: result.cells,
    };
  },
};
