/**
 * Request ids for correlation: unique, not secret. A random per-process prefix (from the CSPRNG, once) and a counter
 * in UUID shape, so an id costs a string build instead of a random draw on the hot path. Ids say nothing about other
 * requests beyond their order within one process.
 */
export function requestIdGenerator(): () => string {
  const prefix = crypto.randomUUID().slice(0, 24); // "xxxxxxxx-xxxx-4xxx-yxxx-"
  let counter = 0;
  return function nextRequestId() {
    counter = (counter + 1) % 0x1000000000000;
    return prefix + counter.toString(16).padStart(12, '0');
  };
}
