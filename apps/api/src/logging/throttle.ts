/**
 * Reports an occurrence at most once every `everyMs`: `report` gets the occurrence that triggers it and how many
 * there were since the last report, this one included. For errors that repeat while something is down (a database,
 * Redis), which would otherwise log once per event.
 *
 * @example
 * const failed = throttled((_error, count) => logger.error('writes failed', { count }));
 */
export function throttled<T>(
  report: (occurrence: T, count: number) => void,
  everyMs = 60_000,
  now: () => number = Date.now,
): (occurrence: T) => void {
  let lastAt = Number.NEGATIVE_INFINITY;
  let count = 0;
  return function occurred(occurrence) {
    count++;
    const at = now();
    if (at - lastAt < everyMs) return;
    lastAt = at;
    report(occurrence, count);
    count = 0;
  };
}
