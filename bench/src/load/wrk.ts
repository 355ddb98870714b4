// wrk as the closed-loop load generator when it is installed (it costs far less CPU per request than autocannon,
// so the load core is never the bottleneck). Parses its --latency report.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pinned } from '../lib/cpu.ts';
import type { LoadResult, LoadSpec } from './types.ts';

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function toMs(value: string, unit: string): number {
  const factor = UNIT_MS[unit];
  return factor === undefined ? Number.NaN : Number(value) * factor;
}

/** Reads requests, req/s, p50, p99, errors and non-2xx counts from wrk's `--latency` output. */
export function parseWrkOutput(text: string): LoadResult {
  const latency = (pct: string) => {
    const m = new RegExp(`^\\s*${pct}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(text);
    return m ? toMs(m[1]!, m[2]!) : Number.NaN;
  };
  const requests = Number(/(\d+) requests in/.exec(text)?.[1] ?? Number.NaN);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? Number.NaN);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const errors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  return { generator: 'wrk', requests, rps, p50Ms: latency('50'), p99Ms: latency('99'), errors, non2xx };
}

function luaString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** The Lua script that sets method, headers and body for every request. */
export function wrkScript(spec: LoadSpec): string {
  const lines = [`wrk.method = ${luaString(spec.method ?? 'GET')}`];
  for (const [name, value] of Object.entries(spec.headers ?? {})) {
    lines.push(`wrk.headers[${luaString(name)}] = ${luaString(value)}`);
  }
  if (spec.body !== undefined) lines.push(`wrk.body = ${luaString(spec.body)}`);
  if (spec.rotateForwardedFor) {
    lines.push(
      'local n = math.random(0, 16000000)',
      'request = function()',
      '  n = (n + 1) % 16777215',
      '  wrk.headers["x-forwarded-for"] = "10." .. math.floor(n / 65536) % 256 .. "." .. math.floor(n / 256) % 256 .. "." .. n % 256',
      '  return wrk.format()',
      'end',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Runs wrk (one thread, pinned to the load core) and returns its figures. */
export async function runWrk(spec: LoadSpec): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'smarter-bench-wrk-'));
  const script = join(dir, 'request.lua');
  writeFileSync(script, wrkScript(spec));
  try {
    const [command, args] = pinned('load', 'wrk', [
      '-t1',
      `-c${spec.connections}`,
      `-d${spec.durationSec}s`,
      '--timeout',
      '5s',
      '--latency',
      '-s',
      script,
      spec.url,
    ]);
    const text = await new Promise<string>((resolve, reject) => {
      const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString('utf8');
      });
      child.stderr.on('data', (c: Buffer) => {
        out += c.toString('utf8');
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), (spec.durationSec + 20) * 1000);
      child.once('error', reject);
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(out);
        else reject(new Error(`wrk exited with ${code}: ${out.slice(-500)}`));
      });
    });
    return parseWrkOutput(text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
