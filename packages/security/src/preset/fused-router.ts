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
 */
export function fuseRouter<T extends [unknown, unknown]>(
  inner: Router<T>,
  layer: unknown,
  around: Around,
  errorHandler: () => ErrorHandler,
): Router<T> {
  // Routers return the same handler list for every request to a route, so each fused list is built once.
  const fusedLists = new WeakMap<object, Entry<T>[]>();
  const fuse = (list: Entry<T>[]): Entry<T>[] => {
    let fused = fusedLists.get(list);
    if (fused === undefined) {
      const [[handler, route], params] = (list[1] ?? [
        [toNotFound, (list[0] as Entry<T>)[0][1]],
        (list[0] as Entry<T>)[1],
      ]) as Entry<T>;
      const inRoute = handler as RouteHandler;
      const smarterRoute: RouteHandler = (c, next) => around(c, inRoute, next, errorHandler());
      fused = [[[smarterRoute, route] as T, params]];
      fusedLists.set(list, fused);
    }
    return fused;
  };
  return {
    name: inner.name,
    add(method, path, handler) {
      inner.add(method, path, handler);
    },
    match(method, path): Result<T> {
      const result = inner.match(method, path);
      const list = result[0] as unknown as Entry<T>[];
      if (list.length > 2 || list.length === 0 || (list[0] as Entry<T>)[0][0] !== layer) return result;
      const fused = fuse(list);
      return (result.length === 1 ? [fused] : [fused, result[1]]) as unknown as Result<T>;
    },
  };
}
