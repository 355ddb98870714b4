/**
 * `fn` with its last answer remembered: called again with the same text, it answers without recomputing. For pure
 * functions of a string on the hot path, where consecutive requests (every request of a keep-alive connection, most
 * requests of a server) bring the same peer address or Host header. One entry, so it holds nothing per client.
 */
export function rememberLast<T>(fn: (text: string) => T): (text: string) => T {
  let lastText: string | undefined;
  let lastAnswer: T;
  return function remembered(text: string): T {
    if (text !== lastText) {
      lastAnswer = fn(text);
      lastText = text;
    }
    return lastAnswer as T;
  };
}
