import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`), driven by playwright-core: never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, and without the background requests this machine's closed network refuses. */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Where the workbench's browser tests leave their screenshots. */
export const WORKBENCH_ARTIFACTS: string = fileURLToPath(
  new URL('../../../../test-artifacts/workbench/', import.meta.url),
);

/** An app served over HTTP on 127.0.0.1 (a free port), for a real browser. */
export interface LocalServer {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  close(): Promise<void>;
}

/** Serves `fetch` on 127.0.0.1 with a free port; resolves once it listens. */
export async function listenLocally(fetch: (request: Request) => Response | Promise<Response>): Promise<LocalServer> {
  const server = serve({ fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Launches Debian's Chromium with {@link CHROMIUM_FLAGS}, after making the screenshot folder. */
export async function launchChromium(): Promise<Browser> {
  await mkdir(WORKBENCH_ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_FLAGS] });
}
