import type { Context, ErrorHandler, Next } from 'hono';
import type { Phase } from '../internal/phase.ts';

/** One layer made of phases; `smarter()` mounts it first. */
export type ComposedPhases = (c: Context, next: Next) => Promise<void>;

/** A route handler as Hono calls it: a response, nothing, or a promise of either. */
export type RouteHandler = (c: Context, next: Next) => unknown;

/** What {@link phaseLayer} returns: the phases as middleware, and the same phases fused around one route handler. */
export interface PhaseLayer {
  /** The phases as one Hono middleware (mounted with `app.use`). */
  readonly middleware: ComposedPhases;
  /**
   * The phases around `handler` in one call, with the semantics of the middleware followed by the handler, but
   * synchronous when nothing waits (no promise at all for a synchronous handler). Errors of the handler are rendered
   * by `handlerError` (the app's error handler, as Hono's own composition does). Returns the final response, or a
   * promise of it.
   */
  around(c: Context, handler: RouteHandler, next: Next, handlerError: ErrorHandler): Response | Promise<Response>;
}

/** The error Hono raises when a handler neither returns a response nor finalizes the context. */
function notFinalized(): Error {
  return new Error('Context is not finalized. Did you forget to return a Response object or `await next()`?');
}

/**
 * Runs phases as one Hono layer, with the semantics of nested middleware but without a promise, a closure and a
 * `next` hop per guard: every `before` in order until one answers (its response becomes `c.res` and the inner phases
 * and the handler never run), then the handler, then the `after` of every phase whose `before` let the request
 * through, innermost first. An error thrown by a phase is rendered by `onError` right there, so the outer phases
 * (secure headers, resources) still see and decorate the answer.
 */
export function phaseLayer(phases: readonly Phase[], onError: ErrorHandler): PhaseLayer {
  const befores = phases.map((p) => p.before);
  const afters = phases.map((p) => p.after);
  const n = phases.length;

  /** Renders `error` as the response; synchronous when the error handler is. */
  const fail = (c: Context, error: unknown, handler: ErrorHandler = onError): void | Promise<void> => {
    c.error = error as Error;
    const res = handler(error as Error, c);
    if (res instanceof Promise) {
      return res.then((r) => {
        c.res = r;
      });
    }
    c.res = res;
    return undefined;
  };

  /** What Hono's composition does with a handler's return value. */
  const settle = (c: Context, out: unknown): void => {
    if (out instanceof Response && !c.finalized) c.res = out;
    else if (!c.finalized) throw notFinalized();
  };

  /** The `after` of the first `passed` phases, innermost first; synchronous until one returns a promise. */
  const unwind = (c: Context, passed: number): Response | Promise<Response> => {
    for (let i = passed - 1; i >= 0; i--) {
      const after = afters[i];
      if (after === undefined) continue;
      try {
        const done = after(c);
        if (done instanceof Promise) return unwindAsync(c, i, done);
      } catch (error) {
        const failed = fail(c, error);
        if (failed instanceof Promise) return unwindAsync(c, i, failed);
      }
    }
    return c.res;
  };

  const unwindAsync = async (c: Context, at: number, pending: Promise<void>): Promise<Response> => {
    try {
      await pending;
    } catch (error) {
      await fail(c, error);
    }
    for (let i = at - 1; i >= 0; i--) {
      const after = afters[i];
      if (after === undefined) continue;
      try {
        await after(c);
      } catch (error) {
        await fail(c, error);
      }
    }
    return c.res;
  };

  /** The way in once something waited: the rest of the befores from `passed`, then the handler, then the afters. */
  const resume = async (
    c: Context,
    handler: RouteHandler,
    next: Next,
    handlerError: ErrorHandler,
    from: number,
    pending: Promise<Response | undefined> | undefined,
  ): Promise<Response> => {
    let passed = from;
    try {
      if (pending !== undefined) {
        const first = await pending;
        if (first !== undefined) {
          c.res = first;
          return await unwind(c, passed);
        }
        passed++;
      }
      for (; passed < n; passed++) {
        const before = befores[passed];
        if (before === undefined) continue;
        const res = await before(c);
        if (res !== undefined) {
          c.res = res;
          return await unwind(c, passed);
        }
      }
    } catch (error) {
      await fail(c, error);
      return await unwind(c, passed);
    }
    try {
      settle(c, await handler(c, next));
    } catch (error) {
      await fail(c, error, handlerError);
    }
    return await unwind(c, n);
  };

  const around = (c: Context, handler: RouteHandler, next: Next, handlerError: ErrorHandler) => {
    let passed = 0;
    try {
      for (; passed < n; passed++) {
        const before = befores[passed];
        if (before === undefined) continue;
        const result = before(c);
        if (result instanceof Promise) return resume(c, handler, next, handlerError, passed, result);
        if (result !== undefined) {
          c.res = result;
          return unwind(c, passed);
        }
      }
    } catch (error) {
      const failed = fail(c, error);
      return failed instanceof Promise ? failed.then(() => unwind(c, passed)) : unwind(c, passed);
    }
    try {
      const out = handler(c, next);
      if (out instanceof Promise) return resume(c, () => out, next, handlerError, n, undefined);
      settle(c, out);
    } catch (error) {
      const failed = fail(c, error, handlerError);
      if (failed instanceof Promise) return failed.then(() => unwind(c, n));
    }
    return unwind(c, n);
  };

  const middleware: ComposedPhases = async function smarter(c, next) {
    let passed = 0;
    try {
      for (; passed < n; passed++) {
        const before = befores[passed];
        if (before === undefined) continue;
        const result = before(c);
        const res = result instanceof Promise ? await result : result;
        if (res !== undefined) {
          c.res = res;
          break;
        }
      }
      if (passed === n) await next();
    } catch (error) {
      await fail(c, error);
    }
    await unwind(c, passed);
  };

  return { middleware, around };
}

/** The phases as one Hono middleware (see {@link phaseLayer}). */
export function composePhases(phases: readonly Phase[], onError: ErrorHandler): ComposedPhases {
  return phaseLayer(phases, onError).middleware;
}
