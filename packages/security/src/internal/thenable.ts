/**
 * True for anything `await` would wait on: a native promise or another thenable (a promise from another realm or a
 * promise library). Hot paths test this instead of `instanceof Promise` so such values are awaited, not taken for
 * answers.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
