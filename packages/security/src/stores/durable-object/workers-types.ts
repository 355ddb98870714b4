// The parts of the Workers runtime this store uses, declared structurally so that the library compiles without
// @cloudflare/workers-types and loads on any runtime (the real objects of workerd fit these shapes).

/** A cursor over the rows of `sql.exec()`. */
export interface SqlCursorLike {
  toArray(): Array<Record<string, unknown>>;
}

/** `ctx.storage.sql` of a SQLite-backed Durable Object. */
export interface SqlStorageLike {
  exec(query: string, ...bindings: unknown[]): SqlCursorLike;
  /** Bytes of the object's database on disk. */
  readonly databaseSize: number;
}

/** `ctx.storage` of a Durable Object: its SQLite database and its alarm. */
export interface DurableObjectStorageLike {
  readonly sql: SqlStorageLike;
  getAlarm(): Promise<number | null>;
  setAlarm(scheduledTime: number): Promise<void>;
}

/** The `ctx` (`DurableObjectState`) workerd hands a Durable Object's constructor. */
export interface DurableObjectStateLike {
  readonly storage: DurableObjectStorageLike;
  blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>;
}

/** A stub of one Durable Object (`namespace.get(id)`). */
export interface DurableObjectStubLike {
  fetch(url: string, init: RequestInit): Promise<Response>;
}

/**
 * A Durable Object namespace binding (`env.SMARTER_STORE_DO`). `get` takes what `idFromName` returned; written as a
 * method so the real `DurableObjectNamespace` type fits it.
 */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: never): DurableObjectStubLike;
}
