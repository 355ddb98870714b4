import type { Context, ErrorHandler, MiddlewareHandler, Next } from 'hono';

/**
 * Runs middleware in order as one Hono layer (fewer promise hops than one `app.use` each). Like Hono's compose, a
 * returned response becomes `c.res`; an error thrown by one of them is rendered by `onError` right there, so the
 * outer layers (secure headers, resources) still see and decorate the answer.
 */
export function composeGuards(chain: readonly MiddlewareHandler[], onError: ErrorHandler): MiddlewareHandler {
  const layers = [...chain];
  return async function smarter(c: Context, next: Next) {
    let index = -1;
    const dispatch = async (i: number): Promise<void> => {
      if (i <= index) throw new Error('next() called multiple times');
      index = i;
      const layer = layers[i];
      if (!layer) return next();
      let res: Response | undefined;
      let failed = false;
      try {
        res = (await layer(c, () => dispatch(i + 1))) as Response | undefined;
      } catch (error) {
        c.error = error as Error;
        res = await onError(error as Error, c);
        failed = true;
      }
      if (res && (!c.finalized || failed)) c.res = res;
    };
    await dispatch(0);
  };
}
