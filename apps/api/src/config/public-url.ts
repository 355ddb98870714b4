import { SmarterConfigError } from '@smarter/security';
import { parseOrigin } from './parse.ts';

/** Hosts every local run accepts besides `SMARTER_ALLOWED_HOSTS` (development and test only; see security.ts). */
export const LOCAL_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** Hosts that `@smarter/auth`'s `userTokenLink` lets links use plain http on. */
const PLAIN_HTTP_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1']);

/** The hosts the host guard answers: `SMARTER_ALLOWED_HOSTS`, plus the local names outside production. */
export function answeredHosts(allowedHosts: readonly string[], production: boolean): readonly string[] {
  return production ? allowedHosts : [...allowedHosts, ...LOCAL_HOSTS];
}

/**
 * True when the host guard accepts the origin's host among `hosts`: a bare entry takes any port, `name:port` only
 * that port.
 */
export function hostAnswered(origin: string, hosts: readonly string[]): boolean {
  const url = new URL(origin);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return hosts.includes(url.hostname) || hosts.includes(`${url.hostname}:${port}`);
}

/** What {@link parsePublicUrl} needs besides the value. */
export interface PublicUrlContext {
  readonly production: boolean;
  readonly allowedHosts: readonly string[];
  /** The listen port (`PORT`), for the development default. */
  readonly port: string | undefined;
}

/**
 * `SMARTER_PUBLIC_URL`: the origin emailed links are built on (SPEC §14: from configured hosts, never from the
 * request). It must be a host the server answers, or the link would end on the host guard's 400 (refused here outside
 * production, by `checkDeploy` in production); plain http only for localhost (the auth library's rule; `checkDeploy`
 * wants https in production). Outside production it defaults to
 * `http://localhost:<PORT>`, so the development sender prints working links; production has no default.
 *
 * @example
 * parsePublicUrl('https://app.example.com', { production: true, allowedHosts: ['app.example.com'], port: undefined });
 */
export function parsePublicUrl(value: string | undefined, context: PublicUrlContext): string | undefined {
  const text = value?.trim();
  if (!text) {
    if (context.production) return undefined;
    // PORT=0 (a random port) has no address to link to: the usual one then.
    const port = /^\d{1,5}$/.test(context.port ?? '') && Number(context.port) > 0 ? Number(context.port) : 8787;
    return `http://localhost:${port}`;
  }
  const origin = parseOrigin('SMARTER_PUBLIC_URL', text);
  const url = new URL(origin);
  if (url.protocol === 'http:' && !PLAIN_HTTP_HOSTS.has(url.hostname)) {
    throw new SmarterConfigError('SMARTER_PUBLIC_URL must be https:// (plain http only for localhost).');
  }
  // In production `checkDeploy` refuses it (public_url.allowed_host), so `check --deploy` can still list everything.
  if (!context.production && !hostAnswered(origin, answeredHosts(context.allowedHosts, false))) {
    throw new SmarterConfigError(
      'SMARTER_PUBLIC_URL must be on one of SMARTER_ALLOWED_HOSTS (emailed links must reach this server).',
    );
  }
  return origin;
}
