import type { Context, ErrorHandler, Next } from 'hono';
import type { Phase } from '../internal/phase.ts';

/** One layer made of phases; `smarter()` mounts it first. */
export type ComposedPhases = (c: Context, next: Next) => Promise<void>;

/**
 * Runs phases as one Hono layer, with the semantics of nested middleware but without a promise, a closure and a
 * `next` hop per guard: every `before` in order until one answers (its response becomes `c.res` and the inner phases
 * and the handler never run), then the handler, then the `after` of every phase whose `before` let the request
 * through, innermost first. An error thrown by a phase is rendered by `onError` right there, so the outer phases
 * (secure headers, resources) still see and decorate the answer.
 */
export function composePhases(phases: readonly Phase[], onError: ErrorHandler): ComposedPhases {
  const befores = phases.map((p) => p.before);
  const afters = phases.map((p) => p.after);
  const n = phases.length;
  const fail = async (c: Context, error: unknown): Promise<void> => {
    c.error = error as Error;
    c.res = await onError(error as Error, c);
  };
  return async function smarter(c, next) {
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
    for (let i = passed - 1; i >= 0; i--) {
      const after = afters[i];
      if (after === undefined) continue;
      try {
        const done = after(c);
        if (done instanceof Promise) await done;
      } catch (error) {
        await fail(c, error);
      }
    }
  };
}
