// Starts a server process (a peer fixture or a runtime entry) pinned to the server core, on 127.0.0.1 with port 0,
// and waits for its "listening on http://…" line. Always stopped by process group, so nothing outlives a run.
import { type ChildProcess, spawn } from 'node:child_process';
import { pinned } from './cpu.ts';

const READY = /listening on (http:\/\/127\.0\.0\.1:\d+)/i;
const START_TIMEOUT_MS = 45_000;

/** A running server under test. */
export interface RunningServer {
  readonly name: string;
  readonly baseUrl: string;
  readonly pid: number;
  output(): string;
  stop(): Promise<void>;
}

/** How to start a server. */
export interface ServerCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
}

const running = new Set<RunningServer>();

/** Stops every server still running (called on exit and on Ctrl-C). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((s) => s.stop()));
}

/** Spawns a server and resolves once it listens. */
export function startServer(name: string, spec: ServerCommand): Promise<RunningServer> {
  const [command, args] = pinned('server', spec.command, spec.args);
  const child: ChildProcess = spawn(command, args, {
    cwd: spec.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '/tmp',
      NO_COLOR: '1',
      NODE_ENV: 'production',
      DENO_NO_UPDATE_CHECK: '1',
      WRANGLER_SEND_METRICS: 'false',
      HOST: '127.0.0.1',
      PORT: '0',
      ...spec.env,
    },
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let server: RunningServer | undefined;
  const stop = async () => {
    if (server) running.delete(server);
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-(child.pid ?? 0), 'SIGTERM');
      } catch {}
      const timer = setTimeout(() => {
        try {
          process.kill(-(child.pid ?? 0), 'SIGKILL');
        } catch {}
      }, 3000);
      await exited;
      clearTimeout(timer);
    }
  };
  return new Promise<RunningServer>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      void stop().finally(() => reject(new Error(`${name}: ${error.message}\n--- output ---\n${output.slice(-4000)}`)));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (server) return;
      const match = READY.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        server = { name, baseUrl: match[1], pid: child.pid ?? 0, output: () => output, stop };
        running.add(server);
        resolve(server);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      if (!server) fail(new Error(`exited before listening (code ${code}, signal ${signal})`));
    });
    child.once('error', (error) => fail(error));
  });
}
