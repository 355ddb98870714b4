// `npm run bench -- [options] [scenario…]`: runs the scenarios, prints PASS/MISS per target, and regenerates
// bench/RESULTS.md (full runs) or bench/results/raw/quick/RESULTS.md (quick runs, never committed).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, USAGE } from './args.ts';
import { describeMachine } from './lib/machine.ts';
import { stopAll } from './lib/server.ts';
import { preferAutocannon, stopLoadGenerator } from './load/run.ts';
import { BENCH_DIR, ROOT_DIR } from './peers/registry.ts';
import { chartPath, renderResults } from './report/markdown.ts';
import { type ScenarioResult, verdict } from './report/model.ts';
import { renderBarChart } from './report/svg.ts';
import { SCENARIOS } from './scenarios/index.ts';
import { FULL, QUICK, type Settings } from './settings.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

let args: ReturnType<typeof parseArgs>;
try {
  args = parseArgs(process.argv.slice(2));
} catch (error) {
  fail((error as Error).message);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
if (args.list) {
  for (const s of SCENARIOS) console.log(`${s.id.padEnd(10)} ${s.title}`);
  process.exit(0);
}
const unknown = args.scenarios.filter((id) => !SCENARIOS.some((s) => s.id === id));
if (unknown.length > 0) fail(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.id).join(', ')}`);
const chosen = args.scenarios.length > 0 ? SCENARIOS.filter((s) => args.scenarios.includes(s.id)) : SCENARIOS;

const base = args.quick ? QUICK : FULL;
const settings: Settings = {
  ...base,
  ...(args.rounds !== undefined ? { rounds: args.rounds } : {}),
  ...(args.duration !== undefined ? { durationSec: args.duration } : {}),
};
if (args.generator === 'autocannon') preferAutocannon();

if (args.build) {
  console.log('building the workspace packages the bench uses (turbo, cached)…');
  const built = spawnSync(
    process.execPath,
    [
      join(ROOT_DIR, 'scripts', 'pnpm.mjs'),
      'exec',
      'turbo',
      'run',
      'build',
      '--filter=@smarter/bench^...',
      '--output-logs=errors-only',
    ],
    { cwd: ROOT_DIR, stdio: 'inherit' },
  );
  if (built.status !== 0) fail('build failed; fix it or run with --no-build');
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopLoadGenerator();
    void stopAll().finally(() => process.exit(130));
  });
}

const machine = describeMachine();
console.log(
  `${settings.mode} run: ${chosen.map((s) => s.id).join(', ')}; ${machine.cpu}, ${machine.cores} cores; ${machine.pinning}; ${machine.loadGenerator}`,
);
const started = Date.now();
const results: ScenarioResult[] = [];
for (const scenario of chosen) {
  console.log(`\n== ${scenario.title} (${scenario.id})`);
  const t0 = Date.now();
  try {
    const result = await scenario.run({ settings, log: (line) => console.log(line) });
    results.push({
      ...result,
      measuredAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      mode: settings.mode,
      wallSeconds: (Date.now() - t0) / 1000,
    });
  } catch (error) {
    console.error(`scenario ${scenario.id} failed: ${(error as Error).stack ?? error}`);
    await stopAll();
    process.exitCode = 1;
  }
}

stopLoadGenerator();
const outDir = args.quick ? join(BENCH_DIR, 'results', 'raw', 'quick') : BENCH_DIR;
const store = join(outDir, args.quick ? 'results.json' : join('results', 'results.json'));
mkdirSync(join(outDir, 'results'), { recursive: true });
const previous: ScenarioResult[] = existsSync(store)
  ? (JSON.parse(readFileSync(store, 'utf8')) as ScenarioResult[])
  : [];
const merged = SCENARIOS.map((s) => results.find((r) => r.id === s.id) ?? previous.find((r) => r.id === s.id)).filter(
  (r): r is ScenarioResult => r !== undefined,
);
writeFileSync(store, `${JSON.stringify(merged, null, 1)}\n`);
for (const r of results) {
  r.charts.forEach((chart, i) => {
    writeFileSync(join(outDir, chartPath(r.id, i)), renderBarChart(chart));
  });
}
const report = join(outDir, 'RESULTS.md');
writeFileSync(
  report,
  renderResults({
    machine,
    generatedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    scenarios: merged,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  }),
);

console.log(
  `\n== Targets (${settings.mode} mode${args.quick ? ': figures are indicative only, nothing is enforced' : ''})`,
);
const targets = results.flatMap((r) => r.targets);
for (const t of targets) console.log(`${verdict(t.pass).padEnd(5)} ${t.statement}: ${t.measured}`);
if (targets.length === 0) console.log('(no target in the scenarios run)');
console.log(`\nwrote ${report} in ${Math.round((Date.now() - started) / 1000)} s`);
