const PREFIX = 24; // "xxxxxxxx-xxxx-4xxx-yxxx-"
const LENGTH = 36;
const ZERO = 48;
const NINE = 57;
const A = 97;
const F = 102;

/**
 * Request ids for correlation: unique, not secret. A random per-process prefix (from the CSPRNG, once) and a 48-bit
 * hex counter in UUID shape, so an id costs a string build instead of a random draw on the hot path. The counter's
 * digits are kept as character codes and incremented in place, so each id is one flat string made in one step
 * (measured: half the cost of formatting a number and concatenating, once Node has validated the header value).
 * Ids say nothing about other requests beyond their order within one process.
 */
export function requestIdGenerator(): () => string {
  const prefix = crypto.randomUUID();
  const codes: number[] = new Array(LENGTH).fill(ZERO);
  for (let i = 0; i < PREFIX; i++) codes[i] = prefix.charCodeAt(i);
  return function nextRequestId() {
    // Add one to the hex digits after the prefix, carrying leftwards; all f's wrap to all 0's.
    for (let i = LENGTH - 1; i >= PREFIX; i--) {
      const code = codes[i] as number;
      if (code === F) {
        codes[i] = ZERO;
        continue;
      }
      codes[i] = code === NINE ? A : code + 1;
      break;
    }
    return String.fromCharCode.apply(null, codes);
  };
}
