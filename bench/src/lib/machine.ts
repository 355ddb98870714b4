// What the figures were measured on, printed at the top of RESULTS.md.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { hasIdleClass, pinning } from './cpu.ts';

/** The machine and tool versions of a run. */
export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly loadAverage: readonly number[];
  readonly pinning: string;
  readonly loadGenerator: string;
}

function osName(): string {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    return /^PRETTY_NAME="?([^"\n]+)"?/m.exec(text)?.[1] ?? `Linux ${release()}`;
  } catch {
    return `${process.platform} ${release()}`;
  }
}

/** True when `wrk` is on the PATH; autocannon is used otherwise. */
export function hasWrk(): boolean {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** Describes this machine. */
export function describeMachine(): Machine {
  const pin = pinning();
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${osName()} (kernel ${release()})`,
    node: process.version,
    loadAverage: loadavg().map((v) => Math.round(v * 100) / 100),
    pinning: pin ? `server on core ${pin.server}, load generator on core ${pin.load} (taskset)` : 'not pinned',
    loadGenerator: hasWrk()
      ? `wrk (closed loop), paced generator (fixed-rate floods${hasIdleClass() ? ', idle scheduling class' : ''})`
      : 'autocannon (closed loop), paced generator (fixed-rate floods)',
  };
}
