/**
 * Bare Hono vs the full `smarter()` preset on a small JSON route, on Node (@hono/node-server), in the same run.
 *
 *   cd apps/api && node --import tsx ../../packages/security/bench/preset-throughput.ts [seconds=5] [rounds=3]
 *
 * Each round starts a fresh server process per variant (A B A B …, interleaved so machine load hits both alike),
 * pinned to CPU 0 when `taskset` exists, warms it up, then drives it from this process (CPU 1) with a pipelining
 * HTTP/1.1 client over 127.0.0.1 (cheap per request, so the server is the bottleneck). It prints, per variant, the
 * median throughput and the median server CPU per request (user + system, read from the server process itself),
 * then the preset/bare ratios. Bounded: `seconds` ≤ 10 per run.
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { median } from './stats.ts';

type Variant = 'bare' | 'preset' | 'baseline';
/** Optional: another build of the package (its dist/index.js) measured as `baseline`, for before/after runs. */
const BASELINE = process.env['BENCH_BASELINE'];
const PATH = '/api/ping';
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const PIPELINE = Number(process.env['BENCH_PIPELINE'] ?? 1);

// ---------------------------------------------------------------- server side (a child process)
async function serve(variant: Variant): Promise<void> {
  const { Hono } = await import('hono');
  const { serve: listen } = await import('@hono/node-server');
  const { getConnInfo } = await import('@hono/node-server/conninfo');
  const app = new Hono();
  if (variant !== 'bare') {
    const entry = variant === 'baseline' && BASELINE ? BASELINE : '../dist/index.js';
    const { smarter, createJournal } = (await import(entry)) as typeof import('../dist/index.js');
    const security = smarter({
      secretKeys: ['bench-secret-key-bench-secret-key-0123456789'],
      peerAddress: (c) => getConnInfo(c).remote.address,
      hosts: { hosts: ['127.0.0.1'] },
      https: { redirect: false },
      journal: createJournal({ sinks: [] }),
    });
    security.install(app);
  }
  app.get(PATH, (c) => c.json({ ok: true, service: 'smarter', version: 1 }));
  const server = listen({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
    process.send?.({ port: info.port });
  });
  process.on('message', (message: string) => {
    if (message === 'cpu') {
      const u = process.cpuUsage();
      process.send?.({ cpu: u.user + u.system });
    } else if (message === 'stop') server.close(() => process.exit(0));
  });
}

// ---------------------------------------------------------------- load side
function ask<T>(child: ChildProcess, message: string, key: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: Record<string, T>) => {
      if (m && key in m) {
        child.off('message', on);
        resolve(m[key] as T);
      }
    };
    child.on('message', on);
    child.send(message);
  });
}

/** Drives `port` for `ms` with pipelined keep-alive GETs; returns completed responses and non-200 count. */
function drive(port: number, ms: number): Promise<{ done: number; bad: number }> {
  const request = Buffer.from(
    `GET ${PATH} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUser-Agent: bench\r\nAccept: application/json\r\n\r\n`,
  );
  const batch = Buffer.concat(Array.from({ length: PIPELINE }, () => request));
  let done = 0;
  let bad = 0;
  let stopping = false;
  const sockets = Array.from({ length: CONNECTIONS }, () => {
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let pending = Buffer.alloc(0);
    let inFlight = 0;
    const send = () => {
      if (stopping) return;
      inFlight += PIPELINE;
      socket.write(batch);
    };
    socket.on('connect', send);
    socket.on('data', (chunk) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end === -1) break;
        const head = pending.subarray(0, end).toString('latin1');
        const match = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        if (!match) throw new Error('bench: response without Content-Length');
        const total = end + 4 + Number(match[1]);
        if (pending.length < total) break;
        if (!head.startsWith('HTTP/1.1 200')) bad++;
        pending = pending.subarray(total);
        done++;
        inFlight--;
      }
      if (inFlight === 0) send();
    });
    socket.on('error', () => {});
    return socket;
  });
  return new Promise((resolve) => {
    setTimeout(() => {
      stopping = true;
      for (const s of sockets) s.destroy();
      resolve({ done, bad });
    }, ms);
  });
}

interface Sample {
  readonly rps: number;
  readonly cpuUs: number;
}

async function run(variant: Variant, seconds: number, profileDir?: string): Promise<Sample> {
  const pin = hasTaskset() ? ['0'] : undefined;
  const child = fork(fileURLToPath(import.meta.url), ['serve', variant], {
    execArgv: profileDir ? [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${profileDir}`] : process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  if (pin && child.pid) execFileSync('taskset', ['-a', '-p', '-c', pin[0] as string, String(child.pid)]);
  const port = await new Promise<number>((resolve) =>
    child.on('message', (m: { port?: number }) => m.port && resolve(m.port)),
  );
  await drive(port, 1500); // warm-up: let the JIT settle
  const cpu0 = await ask<number>(child, 'cpu', 'cpu');
  const { done, bad } = await drive(port, seconds * 1000);
  const cpu1 = await ask<number>(child, 'cpu', 'cpu');
  child.send('stop');
  await new Promise((resolve) => child.on('exit', resolve));
  if (bad > 0) throw new Error(`bench: ${variant} answered ${bad} non-200 responses`);
  return { rps: done / seconds, cpuUs: (cpu1 - cpu0) / done };
}

let taskset: boolean | undefined;
function hasTaskset(): boolean {
  if (taskset === undefined) {
    try {
      execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
      taskset = true;
    } catch {
      taskset = false;
    }
  }
  return taskset;
}

async function main(): Promise<void> {
  const profileDir = process.env['BENCH_PROFILE_DIR'];
  if (profileDir) {
    // One profiled preset run (node --cpu-prof in the server), for finding costs, not for figures.
    const variant = (process.env['BENCH_PROFILE_VARIANT'] ?? 'preset') as Variant;
    const s = await run(variant, Math.min(10, Number(process.argv[2] ?? 5)), profileDir);
    console.log(`profiled ${variant} ${Math.round(s.rps)} req/s; .cpuprofile written to ${profileDir}`);
    return;
  }
  const seconds = Math.min(10, Math.max(1, Number(process.argv[2] ?? 5)));
  const rounds = Math.max(1, Number(process.argv[3] ?? 3));
  if (hasTaskset()) execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  const samples: Record<Variant, Sample[]> = { bare: [], preset: [], baseline: [] };
  const variants: Variant[] = BASELINE ? ['bare', 'baseline', 'preset'] : ['bare', 'preset'];
  for (let i = 0; i < rounds; i++) {
    for (const variant of variants) {
      const s = await run(variant, seconds);
      samples[variant].push(s);
      console.log(`round ${i + 1} ${variant.padEnd(6)} ${Math.round(s.rps)} req/s  ${s.cpuUs.toFixed(1)} µs CPU/req`);
    }
  }
  const rps = (v: Variant) => median(samples[v].map((s) => s.rps));
  const cpu = (v: Variant) => median(samples[v].map((s) => s.cpuUs));
  console.log(`\nmedian bare   ${Math.round(rps('bare'))} req/s  ${cpu('bare').toFixed(1)} µs CPU/req`);
  if (BASELINE)
    console.log(`median base   ${Math.round(rps('baseline'))} req/s  ${cpu('baseline').toFixed(1)} µs CPU/req`);
  console.log(`median preset ${Math.round(rps('preset'))} req/s  ${cpu('preset').toFixed(1)} µs CPU/req`);
  console.log(
    `ratio preset/bare: throughput ${(rps('preset') / rps('bare')).toFixed(2)}, CPU ${(cpu('bare') / cpu('preset')).toFixed(2)}`,
  );
}

if (process.argv[2] === 'serve') await serve(process.argv[3] as Variant);
else await main();
