// The request shapes of attack floods, kept as pure functions so they are tested without a network.

/** Probes a scanner sends for secrets and admin panels (all blocked by the sensitive-path guard). */
export const SENSITIVE_PROBES: readonly string[] = [
  '/.env',
  '/.git/config',
  '/wp-config.php',
  '/.aws/credentials',
  '/backup.sql',
  '/phpinfo.php',
  '/.ssh/id_rsa',
  '/config.php.bak',
  '/.env.production',
  '/server-status',
];

/** The n-th address of a "many addresses" flood: 10.x.y.z, a fresh one per request for the first 16M requests. */
export function floodAddress(n: number): string {
  const v = n % 0xffffff;
  return `10.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** The address of a "one address" flood. */
export const SINGLE_FLOOD_ADDRESS = '198.51.100.66';

/** The address of the legitimate client in attack scenarios (never the flooder's). */
export const LEGIT_ADDRESS = '192.0.2.10';

/** The n-th flood path: a random-looking unknown path, or a sensitive probe. */
export function floodPath(kind: 'random-404' | 'sensitive', n: number): string {
  if (kind === 'sensitive') return SENSITIVE_PROBES[n % SENSITIVE_PROBES.length]!;
  return `/scan/${n.toString(36)}/${((n * 2654435761) >>> 0).toString(16)}`;
}
