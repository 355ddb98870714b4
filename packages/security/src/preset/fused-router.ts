import type { ErrorHandler, Next } from 'hono';
import type { Result, Router } from 'hono/router';
import type { RouteHandler } from './compose.ts';

/** Runs the preset's phases around one route handler (see `PhaseLayer.around`). */
export type Around = (
  c: Parameters<RouteHandler>[0],
  handler: RouteHandler,
  next: Next,
  handlerError: ErrorHandler,
) => Response | Promise<Response>;

type Entry<T> = [T, unknown];

/** One fused match: what it was built from (checked on every hit) and the one-entry list Hono gets. */
interface Fused<T> {
  readonly handler: unknown;
  readonly route: unknown;
  readonly params: unknown;
  readonly list: Entry<T>[];
}

/** The handler of a path only the preset matches: what Hono's `next` does there (the not-found handler). */
const toNotFound: RouteHandler = (_c, next) => next();

/**
 * Wraps an app's router so that a request matching exactly the preset's layer and one route handler runs as one
 * handler, the phases fused around it. Hono then calls it directly instead of composing two middleware through
 * promises, and a synchronous handler's response reaches the runtime adapter without a promise (on Node the adapter
 * then writes it on its synchronous path). A path only the preset matches runs fused around the not-found handler,
 * so a guard's refusal (a banned scanner's next probe) is synchronous too. Any other match (route middleware,
 * middleware mounted after the preset) is returned unchanged and composed by Hono as usual. Routes are added to, and
 * matched by, the wrapped router.
 *
 * Differences from the preset mounted as middleware, by design: `app.fetch` may return a response synchronously (as
 * it does for bare Hono routes); the phases see the route's params and path (`c.req.param()`, `routePath(c)`)
 * instead of the middleware's; and a handler's error is rendered by the error handler of the app `install()` was
 * called on (apps derived from it with `basePath()` share its router).
 */
export function fuseRouter<T extends [unknown, unknown]>(
  inner: Router<T>,
  layer: unknown,
  around: Around,
  errorHandler: () => ErrorHandler,
): Router<T> {
  // RegExpRouter returns the same handler list for every request to a route, so its fused list is built once;
  // each hit is checked against what the list holds now, so a router that reuses or edits its arrays gets a
  // fresh one.
  const cache = new WeakMap<object, Fused<T>>();
  const fusedHandlers = new WeakMap<object, RouteHandler>();
  const fusedFor = (handler: RouteHandler): RouteHandler => {
    let fused = fusedHandlers.get(handler);
    if (fused === undefined) {
      fused = function smarterRoute(c, next) {
        return around(c, handler, next, errorHandler());
      };
      fusedHandlers.set(handler, fused);
    }
    return fused;
  };
  const wrapper: Router<T> & { readonly activeRouter?: unknown } = {
    get name() {
      return inner.name;
    },
    get activeRouter() {
      return (inner as { readonly activeRouter?: unknown }).activeRouter;
    },
    add(method, path, handler) {
      inner.add(method, path, handler);
    },
    match(method, path): Result<T> {
      const result = inner.match(method, path);
      const list = result[0] as unknown as Entry<T>[];
      const count = list.length;
      const first = list[0];
      if (count === 0 || count > 2 || first === undefined || first[0][0] !== layer) return result;
      const own = list[1];
      const handler = own === undefined ? toNotFound : (own[0][0] as RouteHandler);
      const route = own === undefined ? first[0][1] : own[0][1];
      const params = own === undefined ? first[1] : own[1];
      let fused = cache.get(list);
      if (fused === undefined || fused.handler !== handler || fused.route !== route || fused.params !== params) {
        fused = { handler, route, params, list: [[[fusedFor(handler), route] as T, params]] };
        cache.set(list, fused);
      }
      return (result.length === 1 ? [fused.list] : [fused.list, result[1]]) as unknown as Result<T>;
    },
  };
  return wrapper;
}
