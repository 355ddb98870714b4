// The routes every peer serves, so every column of a table measures the same work.

/** The token the peers without a key store accept (`Authorization: Bearer <token>`). */
export const BENCH_TOKEN = 'bench_4f9c2e7a1d6b8035e2c4a9f17b3d5e80';

/** The origin the CORS and CSRF layers of every peer trust. */
export const TRUSTED_ORIGIN = 'https://app.example.test';

/** One benchmarked route. */
export interface RouteDef {
  readonly id: 'json' | 'protected' | 'echo' | 'unknown';
  readonly label: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: string;
  readonly auth?: boolean;
  /** The status a correct peer answers (checked before measuring). */
  readonly status: number;
  /** A fresh client address per request (see LoadSpec.rotateForwardedFor). */
  readonly rotateClient?: boolean;
}

/** The four routes of the peer comparison. */
export const PEER_ROUTES: readonly RouteDef[] = [
  { id: 'json', label: 'GET small JSON', method: 'GET', path: '/api/v1/hello', status: 200 },
  { id: 'protected', label: 'GET with token', method: 'GET', path: '/api/v1/private', auth: true, status: 200 },
  {
    id: 'echo',
    label: 'POST JSON echo',
    method: 'POST',
    path: '/api/v1/echo',
    // An API client's POST carries its key; without it (and without a cookie) Smarter's CSRF layer asks for a token.
    auth: true,
    body: '{"message":"hello","items":[1,2,3],"nested":{"ok":true}}',
    status: 200,
  },
  // From many clients: one client sending thousands of 404s is a scanner, and Smarter bans it (see the attack scenario).
  {
    id: 'unknown',
    label: 'GET unknown path',
    method: 'GET',
    path: '/api/v1/no-such-route',
    status: 404,
    rotateClient: true,
  },
];

/** A fixture prints this line when it created its own credential (e.g. a real API key in SQLite). */
export const TOKEN_LINE = /^bench-token: (\S+)$/m;

/** The token a running peer accepts: the one it printed, else the shared one. */
export function tokenOf(output: string): string {
  return TOKEN_LINE.exec(output)?.[1] ?? BENCH_TOKEN;
}

/** Comma-separated guard list of a ladder step from `BENCH_GUARDS` (unset: every guard). */
export function guardsFromEnv(value: string | undefined, all: readonly string[]): string[] {
  if (value === undefined) return [...all];
  const wanted = value
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
  const unknown = wanted.filter((g) => !all.includes(g));
  if (unknown.length > 0) throw new Error(`unknown guard(s) ${unknown.join(', ')}; known: ${all.join(', ')}`);
  return wanted;
}

/** The line every fixture prints once it listens (what the harness waits for). */
export function listeningLine(port: number): string {
  return `listening on http://127.0.0.1:${port}`;
}
