// Measures a set of servers × routes: start every server once, check each route answers as it should, warm up,
// then run interleaved rounds (route by route, server after server) and record throughput, latency and server CPU.
import { treeCpuNs } from '../lib/cpu.ts';
import { type RunningServer, startServer } from '../lib/server.ts';
import { type Summary, summarize } from '../lib/stats.ts';
import { runLoad } from '../load/run.ts';
import type { LoadResult } from '../load/types.ts';
import type { ServerDef } from '../peers/registry.ts';
import { tokenOf } from '../peers/routes.ts';
import type { Settings } from '../settings.ts';

/** A route as the matrix measures it. */
export interface MatrixRoute {
  readonly id: string;
  readonly label: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: string;
  readonly auth?: boolean;
  readonly status: number;
  readonly rotateClient?: boolean;
}

/** One round of one cell. */
export interface Sample extends LoadResult {
  /** Server CPU time per request in microseconds (all its processes and threads). */
  readonly cpuUs: number;
}

/** The figures of one server on one route. */
export interface Cell {
  readonly server: string;
  readonly route: string;
  readonly samples: readonly Sample[];
  readonly rps: Summary;
  readonly p50: Summary;
  readonly p99: Summary;
  readonly cpuUs: Summary;
  /** Why this cell has no figures (wrong status, errors). */
  readonly problem?: string;
}

/** The result of a matrix run. */
export interface MatrixResult {
  readonly cells: readonly Cell[];
  /** Servers that could not run, with the reason. */
  readonly unavailable: ReadonlyMap<string, string>;
  cell(server: string, route: string): Cell | undefined;
}

interface Started {
  readonly def: ServerDef;
  readonly server: RunningServer;
  readonly token: string;
}

function headersFor(route: MatrixRoute, token: string): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (route.auth) headers['authorization'] = `Bearer ${token}`;
  if (route.body !== undefined) headers['content-type'] = 'application/json';
  return headers;
}

async function check(started: Started, route: MatrixRoute): Promise<string | undefined> {
  try {
    const res = await fetch(started.server.baseUrl + route.path, {
      method: route.method,
      headers: headersFor(route, started.token),
      ...(route.body !== undefined ? { body: route.body } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    if (res.status !== route.status) return `answered ${res.status} instead of ${route.status}`;
    return undefined;
  } catch (error) {
    return `request failed (${(error as Error).message})`;
  }
}

async function measureOnce(
  started: Started,
  route: MatrixRoute,
  seconds: number,
  connections: number,
): Promise<Sample> {
  const before = treeCpuNs(started.server.pid);
  const result = await runLoad({
    url: started.server.baseUrl + route.path,
    method: route.method,
    headers: headersFor(route, started.token),
    ...(route.body !== undefined ? { body: route.body } : {}),
    connections,
    durationSec: seconds,
    ...(route.rotateClient ? { rotateForwardedFor: true } : {}),
  });
  const cpuNs = treeCpuNs(started.server.pid) - before;
  return { ...result, cpuUs: result.requests > 0 ? cpuNs / 1000 / result.requests : Number.NaN };
}

/** Optional hooks for logging progress. */
export interface MatrixOptions {
  readonly servers: readonly ServerDef[];
  readonly routes: readonly MatrixRoute[];
  /** Routes a given server skips (e.g. a runtime without the protected route yet), with the reason. */
  readonly skip?: (server: ServerDef, route: MatrixRoute) => string | undefined;
  readonly settings: Settings;
  readonly log: (line: string) => void;
}

/** Runs the matrix; always stops what it started. */
export async function runMatrix(options: MatrixOptions): Promise<MatrixResult> {
  const { settings, log } = options;
  const unavailable = new Map<string, string>();
  const started: Started[] = [];
  const problems = new Map<string, string>();
  const samples = new Map<string, Sample[]>();
  const key = (s: string, r: string) => `${s}\u0000${r}`;
  try {
    // Start every available server at once (start-up is not measured), then keep the order of the list.
    const launched = await Promise.all(
      options.servers.map(async (def): Promise<Started | undefined> => {
        const ok = await def.available();
        if (ok !== true) {
          unavailable.set(def.id, ok);
          log(`  ${def.label}: ${ok}`);
          return undefined;
        }
        try {
          const server = await startServer(def.id, def.command());
          return { def, server, token: tokenOf(server.output()) };
        } catch (error) {
          const first = (error as Error).message.split('\n')[0] ?? 'failed';
          unavailable.set(def.id, `failed to start: ${first}`);
          log(`  ${def.label}: failed to start\n${(error as Error).message}`);
          return undefined;
        }
      }),
    );
    for (const s of launched) if (s) started.push(s);
    for (const s of started) {
      for (const route of options.routes) {
        const skipped = options.skip?.(s.def, route);
        const problem = skipped ?? (await check(s, route));
        if (problem) {
          problems.set(key(s.def.id, route.id), problem);
          log(`  ${s.def.label} ${route.label}: ${problem}`);
        }
      }
    }
    const live = (s: Started, r: MatrixRoute) => !problems.has(key(s.def.id, r.id));
    if (settings.warmupSec > 0) {
      for (const route of options.routes) {
        for (const s of started) {
          if (live(s, route)) await measureOnce(s, route, settings.warmupSec, settings.connections);
        }
      }
    }
    for (let round = 1; round <= settings.rounds; round++) {
      for (const route of options.routes) {
        for (const s of started) {
          if (!live(s, route)) continue;
          const sample = await measureOnce(s, route, settings.durationSec, settings.connections);
          const list = samples.get(key(s.def.id, route.id)) ?? [];
          list.push(sample);
          samples.set(key(s.def.id, route.id), list);
          log(
            `  round ${round} ${route.label.padEnd(18)} ${s.def.label.padEnd(40)} ${Math.round(sample.rps).toString().padStart(7)} req/s  p99 ${sample.p99Ms.toFixed(2)} ms  cpu ${sample.cpuUs.toFixed(1)} µs`,
          );
        }
      }
    }
    // Still answering as at the start? (A server that banned or rate-limited the load generator mid-run would have
    // been measured answering 403/429 instead.)
    for (const s of started) {
      for (const route of options.routes) {
        if (!live(s, route)) continue;
        const after = await check(s, route);
        if (after) problems.set(key(s.def.id, route.id), `after the runs it ${after}`);
      }
    }
  } finally {
    await Promise.all(started.map((s) => s.server.stop()));
  }
  const cells: Cell[] = [];
  for (const s of started) {
    for (const route of options.routes) {
      const list = samples.get(key(s.def.id, route.id)) ?? [];
      const problem = problems.get(key(s.def.id, route.id));
      const errored = list.find((x) => x.errors > x.requests * 0.01);
      const expects2xx = (options.routes.find((r) => r.id === route.id)?.status ?? 200) < 300;
      const wrongStatus = expects2xx ? list.find((x) => x.non2xx > x.requests * 0.01) : undefined;
      cells.push({
        server: s.def.id,
        route: route.id,
        samples: list,
        rps: summarize(list.map((x) => x.rps)),
        p50: summarize(list.map((x) => x.p50Ms)),
        p99: summarize(list.map((x) => x.p99Ms)),
        cpuUs: summarize(list.map((x) => x.cpuUs)),
        ...(problem
          ? { problem }
          : errored
            ? { problem: `${errored.errors} socket errors in ${errored.requests} requests` }
            : wrongStatus
              ? { problem: `${wrongStatus.non2xx} of ${wrongStatus.requests} answers were not 2xx` }
              : {}),
      });
    }
  }
  return {
    cells,
    unavailable,
    cell: (server, route) => cells.find((c) => c.server === server && c.route === route),
  };
}
