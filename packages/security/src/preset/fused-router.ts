import type { Context, ErrorHandler, Next } from 'hono';
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
  readonly handlers: readonly RouteHandler[];
  readonly route: unknown;
  readonly params: unknown;
  readonly list: Entry<T>[];
}

/** The handler of a path only the preset matches: what Hono's `next` does there (the not-found handler). */
const toNotFound: RouteHandler = (_c, next) => next();

/** The error handler of a fused chain: the chain already gave every `Error` to the app's handler (see routeChain). */
const rethrow: ErrorHandler = (error) => {
  throw error;
};

/** A route's `RouterRoute` as Hono's routers hold it (what `routePath()` and `matchedRoutes()` read). */
interface RouteInfo {
  readonly method?: unknown;
  readonly path?: unknown;
  readonly basePath?: unknown;
}

/** Whether two param maps of one match name the same params at the same places. */
function sameParams(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if ((a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key]) return false;
  }
  return true;
}

/**
 * Whether the route's own entries (its middleware and its handler) were registered for one method and path, so each
 * of them would see the same `routePath()`, `basePath()` and params from the last entry as from its own.
 */
function oneRoute<T>(own: readonly Entry<T>[]): boolean {
  const last = own[own.length - 1] as Entry<T>;
  const route = (last[0] as unknown as [unknown, RouteInfo | undefined])[1];
  for (let i = 0; i < own.length - 1; i++) {
    const entry = own[i] as Entry<T>;
    const other = (entry[0] as unknown as [unknown, RouteInfo | undefined])[1];
    if (other === undefined || route === undefined) return false;
    if (other.method !== route.method || other.path !== route.path || other.basePath !== route.basePath) return false;
    if (!sameParams(entry[1], last[1])) return false;
  }
  return true;
}

/**
 * A route's middleware and handler run as Hono's composition runs them below the preset's layer: each in turn with a
 * `next` that runs the rest (a second call rejects), an `Error` thrown at a level rendered right there by the app's
 * error handler (so the outer levels and the layer's phases see the answer), a return value taken as the answer
 * unless one is already set, past the last handler the route's `next` (the not-found handler), and every `next()`
 * resolving to the context.
 */
function routeChain(handlers: readonly RouteHandler[], errorHandler: () => ErrorHandler): RouteHandler {
  const n = handlers.length;
  return function routeChain(c, next) {
    let index = -1;
    // Every level resolves to the context, as the composition's `next()` does; the first resolves to nothing, since
    // under Hono it is the layer's `next()`, whose value the layer drops.
    const dispatch = async (i: number): Promise<Context | undefined> => {
      if (i <= index) throw new Error('next() called multiple times');
      index = i;
      if (i === n) {
        await next();
        return c;
      }
      let res: unknown;
      let isError = false;
      try {
        res = await (handlers[i] as RouteHandler)(c, (() => dispatch(i + 1)) as Next);
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        c.error = error;
        res = await errorHandler()(error, c);
        isError = true;
      }
      if (res && (!c.finalized || isError)) c.res = res as Response;
      return i === 0 ? undefined : c;
    };
    return dispatch(0);
  };
}

/**
 * Wraps an app's router so that a request matching exactly the preset's layer and one route runs as one handler, the
 * phases fused around it. Hono then calls it directly instead of composing the layer and the route through promises,
 * and a synchronous handler's response reaches the runtime adapter without a promise (on Node the adapter then writes
 * it on its synchronous path). A route with middleware of its own (`app.get(path, apiKeyAuth(…), handler)`) is fused
 * too when all of its entries were registered for one method and path: its middleware and handler run as Hono's
 * composition runs them (see routeChain), inside the phases. A path only the preset matches runs fused around the
 * not-found handler, so a guard's refusal (a banned scanner's next probe) is synchronous too. Any other match
 * (middleware mounted after the preset, or for another path) is returned unchanged and composed by Hono as usual.
 * Routes are added to, and matched by, the wrapped router.
 *
 * Differences from the preset mounted as middleware, by design: `app.fetch` may return a response synchronously (as
 * it does for bare Hono routes); the phases see the route's params and path (`c.req.param()`, `routePath(c)`)
 * instead of the middleware's; `matchedRoutes()` lists the fused route alone; and a handler's error is rendered by the
 * error handler of the app `install()` was called on (apps derived from it with `basePath()` share its router).
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
  // Lists seen to hold middleware of other paths or methods: left to Hono without looking again (a router that later
  // edits such a list into one that could be fused only loses the speed-up, never a phase).
  const unfused = new WeakSet<object>();
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
  // Routers that build a new list per match (TrieRouter, LinearRouter) hand the same handlers every time: one chain
  // per route, found by its last handler.
  const fusedChains = new WeakMap<
    object,
    { readonly handlers: readonly RouteHandler[]; readonly fused: RouteHandler }
  >();
  const fusedChain = (handlers: readonly RouteHandler[]): RouteHandler => {
    const last = handlers[handlers.length - 1] as RouteHandler;
    const known = fusedChains.get(last);
    if (
      known !== undefined &&
      known.handlers.length === handlers.length &&
      known.handlers.every((h, i) => h === handlers[i])
    )
      return known.fused;
    const chain = routeChain(handlers, errorHandler);
    const fused: RouteHandler = function smarterRoute(c, next) {
      return around(c, chain, next, rethrow);
    };
    fusedChains.set(last, { handlers, fused });
    return fused;
  };
  /** Whether a cached fusion still speaks for `list` (a router may reuse or edit its arrays). */
  const fusedStill = (fused: Fused<T>, list: readonly Entry<T>[]): boolean => {
    const { handlers } = fused;
    if (handlers.length !== list.length - 1) return false;
    for (let i = 0; i < handlers.length; i++) if (handlers[i] !== (list[i + 1] as Entry<T>)[0][0]) return false;
    const last = list[list.length - 1] as Entry<T>;
    return fused.route === last[0][1] && fused.params === last[1];
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
      const first = list[0];
      if (first === undefined || first[0][0] !== layer || unfused.has(list)) return result;
      let fused = cache.get(list);
      if (fused === undefined || !fusedStill(fused, list)) {
        const own = list.slice(1);
        if (own.length > 1 && !oneRoute(own)) {
          unfused.add(list);
          return result;
        }
        const last = own[own.length - 1] ?? first;
        const handlers = own.map((entry) => entry[0][0] as RouteHandler);
        const handler =
          handlers.length === 0
            ? fusedFor(toNotFound)
            : handlers.length === 1
              ? fusedFor(handlers[0] as RouteHandler)
              : fusedChain(handlers);
        fused = { handlers, route: last[0][1], params: last[1], list: [[[handler, last[0][1]] as T, last[1]]] };
        cache.set(list, fused);
      }
      return (result.length === 1 ? [fused.list] : [fused.list, result[1]]) as unknown as Result<T>;
    },
  };
  return wrapper;
}
