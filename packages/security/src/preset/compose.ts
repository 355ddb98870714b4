import type { Context, ErrorHandler, Next } from 'hono';
import type { Phase } from '../internal/phase.ts';
import { isThenable } from '../internal/thenable.ts';

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
 * The `next` a fused handler gets, with the checks of Hono's composition (which its single-handler `next` lacks): a
 * second call rejects, and a call after the response is set leaves it alone.
 */
function guardNext(c: Context, next: Next): Next {
  let called = false;
  return () => {
    if (called) return Promise.reject(new Error('next() called multiple times'));
    called = true;
    return c.finalized ? Promise.resolve() : next();
  };
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

  /** Renders `error` with the preset's `onError` as the response; synchronous when that handler is. */
  const fail = (c: Context, error: unknown): Promise<void> | undefined => {
    c.error = error as Error;
    const res = onError(error as Error, c);
    if (isThenable(res)) {
      return Promise.resolve(res).then((r) => {
        c.res = r;
      });
    }
    c.res = res;
    return undefined;
  };

  /**
   * Renders an error of the route handler as Hono's composition would inside the preset's layer: an `Error` goes to
   * the app's error handler; anything else thrown, or an error of that handler itself, reaches the layer and is
   * rendered by the preset's `onError`.
   */
  const render = (c: Context, error: unknown, handlerError: ErrorHandler): Promise<void> | undefined => {
    if (!(error instanceof Error)) return fail(c, error);
    c.error = error;
    let res: Response | Promise<Response>;
    try {
      res = handlerError(error, c);
    } catch (thrown) {
      return fail(c, thrown);
    }
    if (isThenable(res)) {
      return Promise.resolve(res).then(
        (r) => {
          c.res = r;
        },
        (thrown: unknown) => fail(c, thrown),
      );
    }
    c.res = res;
    return undefined;
  };

  /** The `after` of the first `passed` phases, innermost first; synchronous until one returns a promise. */
  const unwind = (c: Context, passed: number): Response | Promise<Response> => {
    for (let i = passed - 1; i >= 0; i--) {
      const after = afters[i];
      if (after === undefined) continue;
      try {
        const done = after(c);
        if (isThenable(done)) return unwindAsync(c, i, done);
      } catch (error) {
        const failed = fail(c, error);
        if (failed !== undefined) return unwindAsync(c, i, failed);
      }
    }
    return c.res;
  };

  const unwindAsync = async (c: Context, at: number, pending: PromiseLike<unknown>): Promise<Response> => {
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

  /**
   * What Hono's composition does with the handler's return value, then the way out. A context still not finalized
   * after the afters raises Hono's own error, outside the layer, as it does in middleware mode.
   */
  const finish = (c: Context, out: unknown): Response | Promise<Response> => {
    if (out && !c.finalized) c.res = out as Response;
    const res = unwind(c, n);
    if (isThenable(res)) {
      return Promise.resolve(res).then((r) => {
        if (!c.finalized) throw notFinalized();
        return r;
      });
    }
    if (!c.finalized) throw notFinalized();
    return res;
  };

  /** The way in once something waited: the rest of the befores from `from`, then the handler, then the afters. */
  const resume = async (
    c: Context,
    handler: RouteHandler,
    next: Next,
    handlerError: ErrorHandler,
    from: number,
    pending: PromiseLike<Response | undefined> | undefined,
  ): Promise<Response> => {
    let passed = from;
    let answered = false;
    try {
      if (pending !== undefined) {
        const first = await pending;
        if (first !== undefined) {
          c.res = first;
          answered = true;
        } else passed++;
      }
      for (; !answered && passed < n; passed++) {
        const before = befores[passed];
        if (before === undefined) continue;
        const res = await before(c);
        if (res !== undefined) {
          c.res = res;
          answered = true;
          break;
        }
      }
    } catch (error) {
      await fail(c, error);
      return unwind(c, passed);
    }
    if (answered) return unwind(c, passed);
    let out: unknown;
    try {
      out = await handler(c, next);
    } catch (error) {
      await render(c, error, handlerError);
      return unwind(c, n);
    }
    return finish(c, out);
  };

  const around = (
    c: Context,
    handler: RouteHandler,
    next: Next,
    handlerError: ErrorHandler,
  ): Response | Promise<Response> => {
    let passed = 0;
    let failed: Promise<void> | undefined;
    // One guarded `next` for the handler, whichever path (synchronous, or after a phase waited) reaches it.
    const guarded = guardNext(c, next);
    try {
      for (; passed < n; passed++) {
        const before = befores[passed];
        if (before === undefined) continue;
        const result = before(c);
        if (isThenable(result)) return resume(c, handler, guarded, handlerError, passed, result);
        if (result !== undefined) {
          c.res = result;
          break;
        }
      }
    } catch (error) {
      failed = fail(c, error);
    }
    if (passed < n) return failed === undefined ? unwind(c, passed) : failed.then(() => unwind(c, passed));
    let out: unknown;
    try {
      out = handler(c, guarded);
    } catch (error) {
      failed = render(c, error, handlerError);
      return failed === undefined ? unwind(c, n) : failed.then(() => unwind(c, n));
    }
    if (isThenable(out)) return resume(c, () => out, guarded, handlerError, n, undefined);
    return finish(c, out);
  };

  const middleware: ComposedPhases = async function smarter(c, next) {
    let passed = 0;
    try {
      for (; passed < n; passed++) {
        const before = befores[passed];
        if (before === undefined) continue;
        const result = before(c);
        const res = isThenable(result) ? await result : result;
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
