/** Minimal assertions with no test framework, so the contract runs unchanged on Node, Bun, Deno and workerd. */
export class ContractFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractFailure';
  }
}

function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Fails unless `condition` holds. */
export function ok(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ContractFailure(message);
}

/** Fails unless `actual` deep-equals `expected` (undefined properties ignored). */
export function equal<T>(actual: unknown, expected: T, message: string): asserts actual is T {
  if (!same(actual, expected)) {
    throw new ContractFailure(`${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** Fails unless `run` rejects; returns what it rejected with. */
export async function rejects(run: () => Promise<unknown>, message: string): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new ContractFailure(`${message}: expected a rejection`);
}
