/** Milliseconds since the epoch; injectable so TTL tests never sleep. */
export type Clock = () => number;

/** Result of an atomic fixed-window increment. */
export interface CounterResult {
  /** The count in the current window, this increment included. */
  readonly count: number;
  /** When the window ends (epoch ms). */
  readonly resetAt: number;
}

/**
 * Shared state for guards (SPEC §20): counters, bans, revocation epochs. Every operation is atomic per key.
 * Implementations: bounded memory (this package), Redis (`@smarter/security/stores/redis`), Durable Objects
 * (`@smarter/security/stores/durable-object`), SQL (`@smarter/data`).
 * A store that cannot answer rejects; guards then fail closed unless configured otherwise.
 */
export interface Store {
  /** Adds one to `key`; a missing or expired key starts a new window of `windowMs` with count 1. */
  increment(key: string, windowMs: number): Promise<CounterResult>;
  /** The value of `key`, or undefined when missing or expired. */
  get(key: string): Promise<string | undefined>;
  /**
   * `get` answered synchronously, offered only by stores that hold their state in this process (the memory store).
   * Guards use it on the hot path so a request that needs no waiting costs no promise; others fall back to `get`.
   * Define it non-enumerable, so a wrapper made by spreading the store does not keep it and bypass its own `get`.
   */
  readonly getNow?: (key: string) => string | undefined;
  /** Sets `key`; without `ttlMs` it never expires. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets `key` only when missing or expired; true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  delete(key: string): Promise<void>;
}
