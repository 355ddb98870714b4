/** Why a body was refused. */
export type BodyFailure = 'TOO_LARGE' | 'UNREADABLE';

/**
 * Reads a request body, counting bytes while streaming (chunked bodies too) and stopping at `limit + 1` bytes so an
 * oversized upload is never buffered whole.
 */
export async function readBody(
  body: ReadableStream<Uint8Array>,
  limit: number,
): Promise<Uint8Array<ArrayBuffer> | BodyFailure> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => {});
        return 'TOO_LARGE';
      }
      chunks.push(value);
    }
  } catch {
    return 'UNREADABLE';
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
