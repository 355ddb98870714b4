// Scenario: micro-benchmarks of the hot building blocks, each group in a fresh process pinned to the server core.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pinned } from '../lib/cpu.ts';
import { formatNumber, formatSummary } from '../lib/stats.ts';
import { SECURITY_CASES } from '../micro/cases.ts';
import type { CaseReport } from '../micro/child.ts';
import { KEY_CASES } from '../micro/key-cases.ts';
import { REQUEST_CASES } from '../micro/request-cases.ts';
import { SLOW_CASES } from '../micro/slow-cases.ts';
import { BENCH_DIR, NODE_SERVER_FLAGS } from '../peers/registry.ts';
import type { Table, TargetResult } from '../report/model.ts';
import type { BarChart } from '../report/svg.ts';
import type { Settings } from '../settings.ts';
import type { Scenario } from './types.ts';

const CHILD = fileURLToPath(new URL('../micro/child.ts', import.meta.url));

function runChild(ids: readonly string[], settings: Settings): Promise<CaseReport[]> {
  const payload = JSON.stringify({
    ids,
    samples: settings.microSamples,
    sampleMs: settings.microSampleMs,
    storeSizes: settings.storeSizes,
  });
  // The servers' V8 flags too: the request cases run a server's per-request code after a burst of start-up work.
  const [command, args] = pinned('server', process.execPath, [
    ...NODE_SERVER_FLAGS,
    '--expose-gc',
    '--max-old-space-size=4096',
    '--import',
    'tsx',
    CHILD,
    payload,
  ]);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: BENCH_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const reports = out
        .split('\n')
        .filter((l) => l.startsWith('CASE '))
        .map((l) => JSON.parse(l.slice(5)) as CaseReport);
      if (code === 0) resolve(reports);
      else reject(new Error(`micro-benchmark process exited with ${code}: ${err.slice(-800)}`));
    });
  });
}

/** Turns a median in ns into the unit the table uses. */
function nsCell(r: CaseReport): string {
  if (!r.ns) return 'n/a';
  if (r.ns.median >= 1e7) {
    const ms = (v: number) => v / 1e6;
    return `${formatSummary({ ...r.ns, median: ms(r.ns.median), min: ms(r.ns.min), max: ms(r.ns.max) }, 1)} ms`;
  }
  return r.ns.median >= 10_000
    ? `${formatSummary({ ...r.ns, median: r.ns.median / 1000, min: r.ns.min / 1000, max: r.ns.max / 1000 }, 1)} µs`
    : `${formatSummary(r.ns, 0)} ns`;
}

/** The micro targets of the issue. */
export function microTargets(reports: readonly CaseReport[]): TargetResult[] {
  const find = (id: string) => reports.find((r) => r.id === id);
  const target = (id: string, caseId: string, statement: string, limitNs: number): TargetResult => {
    const r = find(caseId);
    if (!r?.ns) return { id, statement, measured: r?.unavailable ?? 'not measured', pass: null };
    return {
      id,
      statement,
      measured: r.ns.median >= 1000 ? `${formatNumber(r.ns.median / 1000)} µs` : `${formatNumber(r.ns.median, 0)} ns`,
      pass: r.ns.median <= limitNs,
    };
  };
  return [
    target('canonical-match', 'path-canonical-match', 'Canonicalise + match ≤ 300 ns median per path on Node', 300),
    target('key-warm', 'key-verify-warm', 'Key verification ≤ 5 µs warm (cache hit)', 5_000),
    target('key-cold', 'key-verify-cold', 'Key verification ≤ 30 µs cold on SQLite', 30_000),
  ];
}

export const microScenario: Scenario = {
  id: 'micro',
  title: 'Micro-benchmarks',
  description:
    'The hot building blocks, in one process each group (pinned to the server core, warmed up, batches calibrated to a fixed time, median of the batches with min–max). Memory-store sizes each run in a fresh process so RSS growth is its own.',
  async run({ settings, log }) {
    const reports: CaseReport[] = [];
    const groups = [
      [...SECURITY_CASES, ...KEY_CASES, ...SLOW_CASES].map((c) => c.id),
      REQUEST_CASES.map((c) => c.id),
      ...settings.storeSizes.map((n) => [`memory-store-${n}`]),
      ['memory-store-turnover', 'expiry-cache-turnover'],
    ];
    for (const ids of groups) {
      for (const r of await runChild(ids, settings)) {
        reports.push(r);
        log(`  ${r.label.padEnd(72)} ${r.ns ? nsCell(r) : r.unavailable}`);
      }
    }
    const rows = reports.map((r) => [
      r.group,
      r.label,
      nsCell(r),
      [...(r.notes ?? []), ...Object.entries(r.extra ?? {}).map(([k, v]) => `${k}: ${v}`)].join('; ') ||
        (r.unavailable ?? ''),
    ]);
    const tables: Table[] = [
      {
        title: 'Median time per operation (min–max of the batches)',
        columns: ['Group', 'Operation', 'Time', 'Notes'],
        rows,
      },
    ];
    const measured = reports.filter((r) => r.ns);
    // One chart per group, each on its own scale (a password hash would flatten everything else).
    const charts: BarChart[] = [...new Set(measured.map((r) => r.group))].map((group) => {
      const rows = measured.filter((r) => r.group === group);
      const top = Math.max(...rows.map((r) => r.ns!.median));
      const [unit, div] = top >= 1e7 ? ['ms', 1e6] : top >= 1e4 ? ['µs', 1e3] : ['ns', 1];
      return {
        title: `Micro-benchmarks: ${group}`,
        unit: `${unit} per operation, lower is better`,
        legend: false,
        groups: [
          {
            label: group,
            bars: rows.map((r) => ({
              series: r.label,
              value: r.ns!.median / div,
              min: r.ns!.min / div,
              max: r.ns!.max / div,
            })),
          },
        ],
      };
    });
    return {
      id: this.id,
      title: this.title,
      description: this.description,
      tables,
      charts,
      targets: microTargets(reports),
      notes: [],
      raw: reports,
    };
  },
};
