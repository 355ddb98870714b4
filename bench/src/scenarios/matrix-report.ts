// Tables and charts of a server × route matrix: throughput, ratio to a baseline, p99 latency, server CPU per request.
import { formatRatio, formatSummary, ratio } from '../lib/stats.ts';
import type { Table } from '../report/model.ts';
import type { BarChart } from '../report/svg.ts';
import type { MatrixResult, MatrixRoute } from './http-matrix.ts';

/** A column of the tables. */
export interface Column {
  readonly id: string;
  readonly label: string;
}

function rowsOf(
  result: MatrixResult,
  columns: readonly Column[],
  routes: readonly MatrixRoute[],
  value: (server: string, route: string) => string,
): string[][] {
  return routes.map((route) => [
    route.label,
    ...columns.map((col) => {
      const reason = result.unavailable.get(col.id);
      if (reason) return 'n/a';
      const cell = result.cell(col.id, route.id);
      if (!cell || cell.problem) return 'n/a';
      return value(col.id, route.id);
    }),
  ]);
}

/** The four tables of a matrix. */
export function matrixTables(
  result: MatrixResult,
  columns: readonly Column[],
  routes: readonly MatrixRoute[],
  baseline: Column,
  titlePrefix: string,
): Table[] {
  const head = ['Route', ...columns.map((c) => c.label)];
  const get = (s: string, r: string) => result.cell(s, r)!;
  return [
    {
      title: `${titlePrefix}: throughput, req/s`,
      columns: head,
      rows: rowsOf(result, columns, routes, (s, r) => formatSummary(get(s, r).rps, 0)),
    },
    {
      title: `${titlePrefix}: throughput relative to ${baseline.label} (same run)`,
      columns: head,
      rows: rowsOf(result, columns, routes, (s, r) =>
        formatRatio(ratio(get(s, r).rps.median, result.cell(baseline.id, r)?.rps.median ?? Number.NaN)),
      ),
    },
    {
      title: `${titlePrefix}: p99 latency, ms`,
      columns: head,
      rows: rowsOf(result, columns, routes, (s, r) => formatSummary(get(s, r).p99, 2)),
    },
    {
      title: `${titlePrefix}: server CPU per request, µs`,
      columns: head,
      rows: rowsOf(result, columns, routes, (s, r) => formatSummary(get(s, r).cpuUs, 1)),
      caption:
        'CPU time of the server process tree (all threads) divided by the requests served: steadier than throughput on a shared machine.',
    },
  ];
}

/** Throughput and p99 charts, one group per route. */
export function matrixCharts(
  result: MatrixResult,
  columns: readonly Column[],
  routes: readonly MatrixRoute[],
  titlePrefix: string,
): BarChart[] {
  const chart = (title: string, unit: string, pick: 'rps' | 'p99'): BarChart => ({
    title: `${titlePrefix}: ${title}`,
    unit,
    groups: routes.map((route) => ({
      label: route.label,
      bars: columns.map((col) => {
        const cell = result.cell(col.id, route.id);
        const s = cell && !cell.problem ? cell[pick] : undefined;
        return s
          ? { series: col.label, value: s.median, min: s.min, max: s.max }
          : { series: col.label, value: Number.NaN };
      }),
    })),
  });
  return [chart('throughput', 'req/s, higher is better', 'rps'), chart('p99 latency', 'ms, lower is better', 'p99')];
}

/** Notes for servers that did not run or routes that were skipped. */
export function matrixNotes(
  result: MatrixResult,
  columns: readonly Column[],
  routes: readonly MatrixRoute[],
): string[] {
  const notes: string[] = [];
  for (const col of columns) {
    const reason = result.unavailable.get(col.id);
    if (reason) notes.push(`${col.label}: ${reason}.`);
  }
  for (const cell of result.cells) {
    if (!cell.problem) continue;
    const col = columns.find((c) => c.id === cell.server)?.label ?? cell.server;
    const route = routes.find((r) => r.id === cell.route)?.label ?? cell.route;
    notes.push(`${col}, ${route}: not measured (${cell.problem}).`);
  }
  return notes;
}
