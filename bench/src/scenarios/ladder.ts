// Scenario: cost per guard. The same small JSON route with guards added one at a time (one server per step, all
// interleaved), reported as server CPU per request and the increment each guard adds. Hono's built-ins always;
// Smarter's guards once they are exported.
import { formatNumber, formatSummary } from '../lib/stats.ts';
import { HONO_GUARDS } from '../peers/fixtures/hono-guards.ts';
import { honoLadderStep, type ServerDef, smarterLadderStep } from '../peers/registry.ts';
import { PEER_ROUTES } from '../peers/routes.ts';
import { smarterLadderGuards } from '../peers/smarter-availability.ts';
import type { Table } from '../report/model.ts';
import type { BarChart } from '../report/svg.ts';
import { type MatrixResult, runMatrix } from './http-matrix.ts';
import type { Scenario } from './types.ts';

const route = PEER_ROUTES[0]!;

/** Every prefix of the guard list; quick mode keeps none, the first guard and all of them. */
function steps(guards: readonly string[], make: (g: readonly string[]) => ServerDef, quick: boolean): ServerDef[] {
  const sizes = Array.from({ length: guards.length + 1 }, (_, i) => i);
  const kept = quick ? sizes.filter((i) => i <= 1 || i === guards.length) : sizes;
  return kept.map((i) => {
    const def = make(guards.slice(0, i));
    return quick && i > 1 ? { ...def, label: `+ all ${i} guards` } : def;
  });
}

function ladderTable(
  title: string,
  defs: readonly ServerDef[],
  result: MatrixResult,
): { table: Table; bars: BarChart['groups'][number]['bars'] } {
  let previous = Number.NaN;
  const rows: string[][] = [];
  const bars: { series: string; value: number }[] = [];
  for (const def of defs) {
    const cell = result.cell(def.id, route.id);
    const cpu = cell && !cell.problem ? cell.cpuUs.median : Number.NaN;
    const added = cpu - previous;
    rows.push([
      def.label,
      cell && !cell.problem ? formatSummary(cell.rps, 0) : 'n/a',
      cell && !cell.problem ? formatSummary(cell.cpuUs, 1) : 'n/a',
      Number.isFinite(added) ? `${added >= 0 ? '+' : ''}${formatNumber(added, 1)}` : '—',
    ]);
    if (def !== defs[0]) bars.push({ series: def.label, value: added });
    previous = cpu;
  }
  return {
    table: { title, columns: ['Step', 'req/s', 'CPU µs/request', 'added by this guard, µs'], rows },
    bars,
  };
}

export const ladderScenario: Scenario = {
  id: 'ladder',
  title: 'Cost per guard',
  description: `${route.label} with guards added one by one, every step its own server, all steps interleaved in the same rounds. The cost of a guard is the increase of server CPU per request over the previous step (negative figures are noise).`,
  async run({ settings, log }) {
    const quick = settings.mode === 'quick';
    const hono = steps(HONO_GUARDS, honoLadderStep, quick);
    const ourGuards = smarterLadderGuards();
    // Both ladders start from the same bare-Hono server.
    const ours =
      typeof ourGuards === 'string' ? [] : [hono[0]!, ...steps(ourGuards, smarterLadderStep, quick).slice(1)];
    const result = await runMatrix({ servers: [...hono, ...ours.slice(1)], routes: [route], settings, log });
    const honoPart = ladderTable("Hono's built-in middleware, added one by one", hono, result);
    const tables = [honoPart.table];
    const groups = [{ label: "Hono's built-ins", bars: honoPart.bars }];
    const notes: string[] = [];
    if (typeof ourGuards === 'string') notes.push(`Smarter guards: ${ourGuards}.`);
    else {
      const ourPart = ladderTable('Smarter guards, added one by one', ours, result);
      tables.push(ourPart.table);
      groups.push({ label: 'Smarter guards', bars: ourPart.bars });
    }
    for (const [id, reason] of result.unavailable) notes.push(`${id}: ${reason}.`);
    if (quick) notes.push('Quick mode: only the first guard and the full list of each ladder.');
    return {
      id: this.id,
      title: this.title,
      description: this.description,
      tables,
      charts: [{ title: 'Server CPU added per guard', unit: 'µs per request, lower is better', groups }],
      targets: [],
      notes,
      raw: result.cells,
    };
  },
};
