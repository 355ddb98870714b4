const MASK = '***';

/**
 * A string that never prints: JSON, string conversion and Node's `util.inspect` all show `***`.
 * Call `reveal()` where the value is really needed.
 *
 * @example
 * const key = new Secret(env.SMARTER_SECRET_KEYS);
 * JSON.stringify({ key }); // {"key":"***"}
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The real value. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return MASK;
  }

  toJSON(): string {
    return MASK;
  }
}

// Node's util.inspect (and Deno's and Bun's console) look this symbol up; defined here so declarations stay isolated.
Object.defineProperty(Secret.prototype, Symbol.for('nodejs.util.inspect.custom'), { value: () => MASK });
