import type { Context, ErrorHandler, Hono, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Router } from 'hono/router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';
import { isSmarterError } from '../errors/smarter-error.ts';
import { problem } from './problems.ts';

const STATUS_CODES: Record<number, readonly [string, string]> = {
  400: ['BAD_REQUEST', 'Bad request'],
  401: ['UNAUTHORIZED', 'Authentication required'],
  403: ['FORBIDDEN', 'Forbidden'],
  404: ['NOT_FOUND', 'Not found'],
  405: ['METHOD_NOT_ALLOWED', 'Method not allowed'],
  408: ['REQUEST_TIMEOUT', 'Request timeout'],
  409: ['CONFLICT', 'Conflict'],
  413: ['PAYLOAD_TOO_LARGE', 'Request body too large'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type'],
  422: ['UNPROCESSABLE', 'Unprocessable request'],
  429: ['RATE_LIMITED', 'Too many requests'],
};

/**
 * A not-found handler that answers problem+json 404, or 405 with `Allow` when the path exists for other methods
 * (SPEC §10). Routes are read from the app on the first miss, so register it anywhere.
 *
 * @example
 * app.notFound(jsonNotFound(app));
 */
export function jsonNotFound(app: Hono<never> | Hono): NotFoundHandler {
  let router: Router<string> | undefined;
  let methods: string[] = [];
  const build = () => {
    // Hono's own choice: one precompiled expression per method (a miss is a map lookup and one test), or the trie
    // where a route pattern needs it. The trie alone split and walked every missed path once per other method.
    const r = new SmartRouter<string>({ routers: [new RegExpRouter(), new TrieRouter()] });
    const seen = new Set<string>();
    for (const route of (app as Hono).routes) {
      if (route.method === 'ALL') continue;
      r.add(route.method, route.path, route.method);
      seen.add(route.method);
    }
    methods = [...seen];
    return r;
  };
  return function notFound(c) {
    router ??= build();
    let allowed: Set<string> | undefined;
    for (const m of methods) {
      if (m === c.req.method) continue;
      const [matches] = router.match(m, c.req.path);
      if (!matches.some(([handler]) => handler === m)) continue;
      allowed ??= new Set();
      allowed.add(m);
    }
    if (allowed !== undefined) {
      if (allowed.has('GET')) allowed.add('HEAD');
      return problem(c, 405, 'METHOD_NOT_ALLOWED', 'Method not allowed', {
        headers: { allow: [...allowed].sort().join(', ') },
      });
    }
    return problem(c, 404, 'NOT_FOUND', 'Not found');
  };
}

/** Options of {@link jsonErrorHandler}. */
export interface JsonErrorHandlerOptions {
  /** Put the error message in `detail` of 500s. Development only; never stack traces. @default false */
  readonly exposeErrors?: boolean;
}

/**
 * An `onError` that renders every error as problem+json and hides internals: a 5xx says only "Internal server error"
 * and the request id (SPEC §10). Smarter errors below 500 keep their stable code and safe title.
 *
 * @example
 * app.onError(jsonErrorHandler({ exposeErrors: env === 'development' }));
 */
export function jsonErrorHandler(options: JsonErrorHandlerOptions = {}): ErrorHandler {
  const expose = options.exposeErrors === true;
  return function onError(error: unknown, c: Context) {
    if (isSmarterError(error) && error.status < 500) {
      return problem(c, error.status, error.code, error.message, error.detail ? { detail: error.detail } : {});
    }
    if (error instanceof HTTPException && error.status < 500) {
      const [code, title] = STATUS_CODES[error.status] ?? ['BAD_REQUEST', 'Bad request'];
      return problem(c, error.status, code, title);
    }
    const detail = expose && error instanceof Error ? error.message : undefined;
    return problem(c, 500, 'INTERNAL', 'Internal server error', detail ? { detail } : {});
  };
}
