import {
  allowedHosts,
  clientIdentity,
  createBanList,
  createJournal,
  excessiveNotFound,
  httpsOnly,
  type Journal,
  memoryStore,
  type PeerAddress,
  rateLimit,
  type Store,
  sensitiveFiles,
} from '@smarter/security';
import type { MiddlewareHandler } from 'hono';
import type { AppDeps } from './app.ts';

/** Hosts every local run accepts besides `SMARTER_ALLOWED_HOSTS` (development and test only). */
const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** Where the edge guards keep counters and bans, and where they journal; shared by every guard of one app. */
export interface EdgeState {
  readonly store: Store;
  readonly journal: Journal;
}

/**
 * The request-edge guards of the reference app (SPEC §1–6, §19), in order: client identity, host validation, HTTPS,
 * then the shared ban list (sensitive files and scanner bans) before routing, then the API rate limit. Each entry
 * injects its runtime's peer address through `deps.peerAddress`.
 */
export function edgeSecurity(deps: AppDeps, state: EdgeState = defaultEdgeState()): Array<[string, MiddlewareHandler]> {
  const { config } = deps;
  const { store, journal } = state;
  const bans = createBanList({ store });
  const hosts = config.env === 'production' ? config.allowedHosts : [...config.allowedHosts, ...LOCAL_HOSTS];
  const middleware: Array<[string, MiddlewareHandler]> = [
    [
      '*',
      clientIdentity({
        trustedProxies: config.trustedProxies,
        ...(deps.peerAddress ? { peerAddress: deps.peerAddress } : {}),
      }) as MiddlewareHandler,
    ],
    [
      '*',
      allowedHosts({
        hosts,
        ...(deps.hostResolver ? { resolver: deps.hostResolver } : {}),
        probes: { paths: ['/healthz'], from: ['loopback', 'private'] },
        journal,
      }) as MiddlewareHandler,
    ],
    ['*', httpsOnly({ redirect: config.secureRedirect, journal }) as MiddlewareHandler],
    ['*', sensitiveFiles({ store, bans, journal }) as MiddlewareHandler],
    ['*', excessiveNotFound({ store, bans, journal }) as MiddlewareHandler],
  ];
  if (config.rateLimit) {
    const limiter = rateLimit({ name: 'api', ...config.rateLimit, store, journal }) as MiddlewareHandler;
    middleware.push(['/api/*', limiter], ['/login', limiter]);
  }
  return middleware;
}

/** One in-memory store and a journal that drops events, for a single instance. */
function defaultEdgeState(): EdgeState {
  return { store: memoryStore({ maxEntries: 100_000 }), journal: createJournal() };
}

export type { PeerAddress };
