// The load generator front: wrk for closed-loop runs when installed, autocannon otherwise; floods from the paced
// generator. autocannon and the floods run in one long-lived child process pinned to the load core (so no run pays
// for a Node start-up).
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { idle, pinned } from '../lib/cpu.ts';
import { hasWrk } from '../lib/machine.ts';
import type { LoadJob } from './loadgen.ts';
import type { LoadResult, LoadSpec } from './types.ts';
import { runWrk } from './wrk.ts';

const LOADGEN = fileURLToPath(new URL('./loadgen.ts', import.meta.url));
const benchDir = fileURLToPath(new URL('../..', import.meta.url));
let useWrk: boolean | undefined;

/** Forces autocannon even where wrk exists (`--generator autocannon`). */
export function preferAutocannon(): void {
  useWrk = false;
}

/** The closed-loop generator this run uses. */
export function closedLoopGenerator(): 'wrk' | 'autocannon' {
  useWrk ??= hasWrk();
  return useWrk ? 'wrk' : 'autocannon';
}

interface Pending {
  resolve(results: LoadResult[]): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

let child: ChildProcessWithoutNullStreams | undefined;
let nextId = 1;
let stderr = '';
const pending = new Map<number, Pending>();

function generator(): ChildProcessWithoutNullStreams {
  if (child && child.exitCode === null) return child;
  const [pinCommand, pinArgs] = pinned('load', process.execPath, ['--import', 'tsx', LOADGEN]);
  // With wrk measuring the legitimate client, this process only floods: it shares the load core with wrk, and in the
  // idle class it runs while wrk waits for answers instead of delaying wrk's reads (which wrk would count as the
  // server's latency). The flood's achieved rate is reported, so a flood that could not keep up shows.
  const [command, args] = closedLoopGenerator() === 'wrk' ? idle(pinCommand, pinArgs) : [pinCommand, pinArgs];
  const started = spawn(command, args, { cwd: benchDir, stdio: ['pipe', 'pipe', 'pipe'] });
  started.stderr.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-2000);
  });
  createInterface({ input: started.stdout }).on('line', (line) => {
    const m = /^(RESULT|FAILED) (\d+) (.*)$/.exec(line);
    if (!m) return;
    const job = pending.get(Number(m[2]));
    if (!job) return;
    pending.delete(Number(m[2]));
    clearTimeout(job.timer);
    // JSON has no NaN: latencies a generator did not measure come back as null.
    if (m[1] === 'RESULT') job.resolve(JSON.parse(m[3]!, (k, v) => (v === null && k.endsWith('Ms') ? Number.NaN : v)));
    else job.reject(new Error(`load generator: ${m[3]}`));
  });
  started.once('exit', (code) => {
    for (const [id, job] of pending) {
      clearTimeout(job.timer);
      job.reject(new Error(`load generator exited with ${code}: ${stderr}`));
      pending.delete(id);
    }
    child = undefined;
  });
  child = started;
  return started;
}

/** Stops the load generator child (end of run). */
export function stopLoadGenerator(): void {
  child?.stdin.end();
  child?.kill('SIGTERM');
  child = undefined;
}

/** Runs closed-loop autocannon jobs and floods concurrently in the pinned child process. */
export function runLoadJobs(jobs: readonly LoadJob[]): Promise<LoadResult[]> {
  const longest = Math.max(...jobs.map((j) => j.spec.durationSec));
  const id = nextId++;
  const proc = generator();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => {
        pending.delete(id);
        stopLoadGenerator();
        reject(new Error(`load generator did not answer within ${longest + 30} s`));
      },
      (longest + 30) * 1000,
    );
    pending.set(id, { resolve, reject, timer });
    proc.stdin.write(`${JSON.stringify({ id, jobs })}\n`);
  });
}

/** One closed-loop run with the best generator available. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  if (closedLoopGenerator() === 'wrk') return runWrk(spec);
  const [result] = await runLoadJobs([{ kind: 'closed', spec }]);
  return result!;
}
