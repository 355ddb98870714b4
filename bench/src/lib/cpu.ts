// Core pinning (taskset) and CPU accounting of a process tree through /proc: CPU time per request is steadier than
// throughput on a shared machine, and it is what "cost per guard" is measured in.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Which cores the server and the load generator run on, or null when pinning is not possible here. */
export interface Pinning {
  readonly server: string;
  readonly load: string;
}

let cached: Pinning | null | undefined;

/** Server on core 0, load generator on the last core, when `taskset` exists and there are at least two cores. */
export function pinning(): Pinning | null {
  if (cached !== undefined) return cached;
  const cores = availableParallelism();
  const hasTaskset = process.platform === 'linux' && spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
  cached = hasTaskset && cores >= 2 ? { server: '0', load: String(cores - 1) } : null;
  return cached;
}

/** Prefixes a command with `taskset -c <cores>` when pinning is available. */
export function pinned(role: keyof Pinning, command: string, args: readonly string[]): [string, string[]] {
  const pin = pinning();
  return pin ? ['taskset', ['-c', pin[role], command, ...args]] : [command, [...args]];
}

let idleClass: boolean | undefined;

/** Whether `chrt --idle` can start a process in Linux's SCHED_IDLE class here. */
export function hasIdleClass(): boolean {
  idleClass ??=
    process.platform === 'linux' && spawnSync('chrt', ['--idle', '0', 'true'], { stdio: 'ignore' }).status === 0;
  return idleClass;
}

/**
 * Prefixes a command with `chrt --idle 0` where possible: the process then runs only when nothing else on its core
 * wants to, so a background load (a flood) never delays the client whose latency is being measured.
 */
export function idle(command: string, args: readonly string[]): [string, string[]] {
  return hasIdleClass() ? ['chrt', ['--idle', '0', command, ...args]] : [command, [...args]];
}

function childrenOf(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

function threadCpuNs(pid: number): number {
  let total = 0;
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // thread ended
      }
    }
  } catch {
    return 0;
  }
  return total;
}

/**
 * CPU time in nanoseconds used so far by a process and all its descendants (every thread), from /proc schedstat.
 * Returns NaN where /proc is not available, so callers report "—" instead of a wrong figure.
 */
export function treeCpuNs(root: number): number {
  if (process.platform !== 'linux') return Number.NaN;
  const children = childrenOf();
  let total = 0;
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    total += threadCpuNs(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return total;
}
