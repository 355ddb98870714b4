/** Reads an environment variable on any runtime without depending on Node's types. */
function env(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.[name];
}

/**
 * The URL of a test service (PostgreSQL, Redis) from the environment. Without it the caller skips its tests, and this
 * prints why, loudly; when `SMARTER_REQUIRE_SERVICES=1` (set by CI) a missing service is an error instead.
 *
 * @example
 * const url = serviceUrl('DATABASE_URL', 'PostgreSQL');
 * if (url) describe('on PostgreSQL', () => { … });
 */
export function serviceUrl(variable: string, service: string): string | undefined {
  const value = env(variable);
  if (value) return value;
  const message = `${service} tests skipped: ${variable} is not set (CI sets it; start ${service} locally and export ${variable} to run them)`;
  if (env('SMARTER_REQUIRE_SERVICES') === '1') throw new Error(`${message}, but SMARTER_REQUIRE_SERVICES=1`);
  console.warn(`\n[SKIP] ${message}\n`);
  return undefined;
}
