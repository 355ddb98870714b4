// A Worker for the Durable Object store tests, bundled by durable-object-store.test.ts and run in workerd (Miniflare).
// It runs the real durableObjectStore against the real SmarterStoreObject: the test process sends one request per
// store operation, with the time of its fake clock.
import type { Store } from '../src/store/store.ts';
import { durableObjectStore, SmarterStoreObject } from '../src/stores/durable-object/index.ts';
import type { DurableObjectNamespaceLike } from '../src/stores/durable-object/workers-types.ts';

export { SmarterStoreObject };

/** The class under test, with routes to look inside and a clock the test can move (for the sweep). */
export class InspectedStoreObject extends SmarterStoreObject {
  private skewMs = 0;

  protected override now(): number {
    return Date.now() + this.skewMs;
  }

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    switch (url.pathname) {
      case '/test/stats':
        return Response.json(await this.stats());
      case '/test/sweep':
        // Runs the alarm as workerd would (which drops it first), with this object's clock moved forward.
        this.skewMs = Number(url.searchParams.get('skewMs') ?? 0);
        await (this.ctx.storage as unknown as { deleteAlarm(): Promise<void> }).deleteAlarm();
        await this.alarm();
        return Response.json(await this.stats());
      case '/test/fill': {
        // Writes keys of a given length through the store protocol, to measure the bytes an entry costs.
        const count = Number(url.searchParams.get('count'));
        const keyLength = Number(url.searchParams.get('keyLength'));
        for (let i = 0; i < count; i++) {
          const key = `fill:${i}:`.padEnd(keyLength, 'x');
          const body = JSON.stringify({ key, now: Date.now(), ttlMs: 60_000 });
          await super.fetch(new Request('https://smarter-store.invalid/increment', { method: 'POST', body }));
        }
        return Response.json(await this.stats());
      }
      default:
        return super.fetch(request);
    }
  }

  private async stats(): Promise<{ rows: number; bytes: number; alarm: number | null; now: number }> {
    const [row] = this.ctx.storage.sql.exec('SELECT count(*) AS n FROM smarter_store').toArray();
    return {
      rows: Number(row?.['n']),
      bytes: this.ctx.storage.sql.databaseSize,
      alarm: await this.ctx.storage.getAlarm(),
      now: this.now(),
    };
  }
}

/** The same class declared with key-value storage (`new_classes`), which it cannot run on. */
export class KeyValueStoreObject extends SmarterStoreObject {}

interface OpRequest {
  readonly binding: string;
  readonly shards: number;
  /** Keys the choice of shard (HMAC) when present. */
  readonly shardKey?: string;
  readonly now: number;
  readonly key: string;
  readonly value?: string;
  readonly ttlMs?: number;
}

// The caller's clock: each request sets it (concurrent requests of the suite carry the same time).
let now = 0;
// Built once and kept across requests, as an app keeps its store for the life of an isolate.
const stores = new Map<string, Store>();

function storeFor(env: Record<string, unknown>, binding: string, shards: number, shardKey?: string): Store {
  const id = `${binding}/${shards}/${shardKey ?? ''}`;
  let store = stores.get(id);
  if (store === undefined) {
    store = durableObjectStore({
      namespace: env[binding] as DurableObjectNamespaceLike,
      shards,
      now: () => now,
      ...(shardKey === undefined ? {} : { shardKey }),
    });
    stores.set(id, store);
  }
  return store;
}

async function run(store: Store, op: string, r: OpRequest): Promise<unknown> {
  switch (op) {
    case 'increment':
      return store.increment(r.key, r.ttlMs ?? 0);
    case 'get':
      return store.get(r.key);
    case 'set':
      return store.set(r.key, r.value ?? '', r.ttlMs);
    case 'setIfAbsent':
      return store.setIfAbsent(r.key, r.value ?? '', r.ttlMs);
    case 'delete':
      return store.delete(r.key);
    default:
      throw new Error(`unknown operation ${op}`);
  }
}

export default {
  async fetch(request: Request, env: Record<string, unknown>): Promise<Response> {
    const op = new URL(request.url).pathname.slice(1);
    const body = (await request.json()) as OpRequest;
    now = body.now;
    try {
      const result = await run(storeFor(env, body.binding, body.shards, body.shardKey), op, body);
      return Response.json({ ok: true, result });
    } catch (error) {
      const e = error as { name?: string; code?: string; message?: string; cause?: unknown };
      return Response.json({ ok: false, name: e.name, code: e.code, cause: String(e.cause) });
    }
  },
};
