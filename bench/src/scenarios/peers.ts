// Scenario: the four peers on Node, same four routes, with the throughput targets.
import { formatRatio, ratio } from '../lib/stats.ts';
import { bareHeaders, bareHono, expressPeer, honoBuiltins, PEERS, smarterPreset } from '../peers/registry.ts';
import { PEER_ROUTES } from '../peers/routes.ts';
import type { TargetResult } from '../report/model.ts';
import { type MatrixResult, runMatrix } from './http-matrix.ts';
import { matrixCharts, matrixNotes, matrixTables } from './matrix-report.ts';
import type { Scenario } from './types.ts';

function rpsOf(result: MatrixResult, server: string): number {
  const cell = result.cell(server, 'json');
  return cell && !cell.problem ? cell.rps.median : Number.NaN;
}

/** The throughput targets of the issue, on the small JSON route. */
export function peerTargets(result: MatrixResult): TargetResult[] {
  const ours = rpsOf(result, smarterPreset.id);
  const missing = result.unavailable.get(smarterPreset.id) ?? (Number.isFinite(ours) ? undefined : 'not measured');
  const target = (id: string, statement: string, other: string, threshold: number, context = ''): TargetResult => {
    const r = ratio(ours, rpsOf(result, other));
    if (missing || !Number.isFinite(r)) return { id, statement, measured: missing ?? 'not measured', pass: null };
    return { id, statement, measured: `${formatRatio(r)}${context}`, pass: r >= threshold };
  };
  // The floor under any preset that sends SPEC §7's headers: bare Hono sending them with no guard, same run.
  const floor = ratio(rpsOf(result, bareHeaders.id), rpsOf(result, bareHono.id));
  const floorNote = Number.isFinite(floor) ? ` (the headers alone, no guard: ${formatRatio(floor)})` : '';
  return [
    target(
      'preset-vs-bare',
      'Full preset ≥ 0.70× bare Hono throughput on Node (small JSON GET)',
      bareHono.id,
      0.7,
      floorNote,
    ),
    target('preset-vs-express', 'Full preset ≥ 5× Express 5 + helmet + cors + rate limit', expressPeer.id, 5),
    target('preset-vs-hono', 'Full preset ≥ 5× Hono with its built-in security middleware', honoBuiltins.id, 5),
  ];
}

export const peersScenario: Scenario = {
  id: 'peers',
  title: 'Peers on Node',
  description:
    'Bare Hono, bare Hono sending the Smarter preset’s response headers and running no guard (a reference: what the headers SPEC §7 requires cost alone), Hono with its built-in secureHeaders + cors + csrf + bodyLimit + requestId (+ bearerAuth on the protected route), Express 5 with helmet + cors + express-rate-limit + a token check, and the Smarter preset with API-key auth on SQLite, all on Node with the same four routes (the POST carries the API key header, as an API client’s would; only the protected GET checks it). Closed-loop load, server and load generator on different cores.',
  async run({ settings, log }) {
    const result = await runMatrix({ servers: PEERS, routes: PEER_ROUTES, settings, log });
    const columns = PEERS.map((p) => ({ id: p.id, label: p.label }));
    return {
      id: this.id,
      title: this.title,
      description: this.description,
      tables: matrixTables(result, columns, PEER_ROUTES, columns[0]!, 'Peers'),
      charts: matrixCharts(result, columns, PEER_ROUTES, 'Peers on Node'),
      targets: peerTargets(result),
      notes: matrixNotes(result, columns, PEER_ROUTES),
      raw: result.cells,
    };
  },
};
