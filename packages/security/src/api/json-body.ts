/** Why a JSON body was refused (stable codes). */
export type JsonBodyFailure = 'INVALID_UTF8' | 'INVALID_JSON' | 'NESTING_TOO_DEEP' | 'FORBIDDEN_KEY';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes (strict UTF-8) and parses a JSON body, then walks it once: nesting deeper than `maxDepth` and
 * prototype-pollution keys (`__proto__`, `constructor`, `prototype`) are refused.
 */
export function parseJsonBody(
  bytes: Uint8Array,
  maxDepth: number,
):
  | { readonly ok: true; readonly text: string; readonly value: unknown }
  | { readonly ok: false; readonly reason: JsonBodyFailure } {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, reason: 'INVALID_UTF8' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'INVALID_JSON' };
  }
  const reason = inspect(value, maxDepth);
  return reason ? { ok: false, reason } : { ok: true, text, value };
}

/** Iterative walk (no recursion: a hostile depth cannot overflow the stack). */
function inspect(root: unknown, maxDepth: number): JsonBodyFailure | undefined {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (typeof value !== 'object' || value === null) continue;
    if (depth > maxDepth) return 'NESTING_TOO_DEEP';
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object' && item !== null) stack.push([item, depth + 1]);
      continue;
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN.has(key)) return 'FORBIDDEN_KEY';
      const child = (value as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return undefined;
}
