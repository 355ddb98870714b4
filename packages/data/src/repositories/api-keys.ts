import type { ApiKeyRecord, ApiKeyRepository } from '@smarter/auth';
import { and, asc, eq, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import { toDataError, wrapDriver } from '../core/data-error.ts';
import type { Database } from '../core/database.ts';
import { prepareNamed, queries, rowDecoder, type Tables } from '../internal/orm.ts';

type KeyRow = Tables['apiKeys']['$inferSelect'];

/** Folds `key ⟕ bindings` rows (one per binding, or one with a null agent) into records, keeping the order. */
function fold(rows: readonly { key: KeyRow; agentId: string | null }[]): ApiKeyRecord[] {
  const only = rows.length === 1 ? rows[0] : undefined;
  // The common case (one key, at most one binding) skips the grouping.
  // Object.assign, not `{ ...key, agentIds }`: properties added after a spread cost 1–3 µs on Node 20.
  if (only !== undefined)
    return [Object.assign({}, only.key, { agentIds: only.agentId === null ? [] : [only.agentId] })];
  const byId = new Map<string, { key: KeyRow; agentIds: string[] }>();
  for (const row of rows) {
    let entry = byId.get(row.key.id);
    if (entry === undefined) {
      entry = { key: row.key, agentIds: [] };
      byId.set(row.key.id, entry);
    }
    if (row.agentId !== null) entry.agentIds.push(row.agentId);
  }
  return [...byId.values()].map(({ key, agentIds }) => Object.assign({}, key, { agentIds: agentIds.sort() }));
}

/**
 * API keys and their agent bindings over a {@link Database}. A key and its bindings are written as one statement
 * list; `revoke` and `touchLastUsed` are compare-and-swap updates, so concurrent instances agree.
 */
export function apiKeyRepository(db: Database): ApiKeyRepository {
  const { orm, t } = queries(db);
  const select = (where: SQL | undefined) =>
    orm
      .select({ key: t.apiKeys, agentId: t.apiKeyAgents.agentId })
      .from(t.apiKeys)
      .leftJoin(t.apiKeyAgents, eq(t.apiKeyAgents.keyId, t.apiKeys.id))
      .where(where);
  // The hot path of every API-key request: one prepared statement.
  const byId = prepareNamed(() => select(eq(t.apiKeys.id, sql.placeholder('id'))), 'smarter_api_key_by_id');
  // A cold API-key verification reads the key, its bindings and its owner in one statement.
  const withOwner = prepareNamed(
    () =>
      orm
        .select({ key: t.apiKeys, agentId: t.apiKeyAgents.agentId, owner: t.users })
        .from(t.apiKeys)
        .leftJoin(t.apiKeyAgents, eq(t.apiKeyAgents.keyId, t.apiKeys.id))
        .leftJoin(t.users, eq(t.users.id, t.apiKeys.userId))
        .where(eq(t.apiKeys.id, sql.placeholder('id'))),
    'smarter_api_key_with_owner',
  );
  // SQLite drivers return positional rows through `values()`; decoding them directly is the cheaper path.
  const decodeWithOwner = rowDecoder([
    ['key', t.apiKeys, false],
    ['agentId', t.apiKeyAgents.agentId, true],
    ['owner', t.users, true],
  ]);
  type OwnedRow = { key: KeyRow; agentId: string | null; owner: Tables['users']['$inferSelect'] | null };
  const readWithOwner = async (id: string): Promise<OwnedRow[]> =>
    db.dialect === 'sqlite'
      ? ((await withOwner().values({ id })) as unknown[][]).map((row) => decodeWithOwner(row) as OwnedRow)
      : ((await withOwner().execute({ id })) as OwnedRow[]);
  const ordered = (where: SQL | undefined) => select(where).orderBy(asc(t.apiKeys.createdAt), asc(t.apiKeys.id));
  return {
    create: (record) =>
      wrapDriver(async () => {
        const { agentIds, ...key } = record;
        const statements = [
          orm
            .insert(t.apiKeys)
            .values({ ...key, scopes: [...key.scopes] })
            .toSQL(),
        ];
        if (agentIds.length > 0) {
          const bindings = [...new Set(agentIds)].map((agentId) => ({ keyId: key.id, agentId }));
          statements.push(orm.insert(t.apiKeyAgents).values(bindings).toSQL());
        }
        await db.sql.batch(statements);
      }),
    // One async frame on the hot path (no wrapDriver closure); errors are wrapped the same way.
    async getById(id) {
      try {
        return fold(await byId().execute({ id }))[0];
      } catch (error) {
        throw toDataError(error);
      }
    },
    async getWithOwner(id) {
      try {
        const rows = await readWithOwner(id);
        const key = fold(rows)[0];
        return key ? { key, owner: rows[0]?.owner ?? undefined } : undefined;
      } catch (error) {
        throw toDataError(error);
      }
    },
    listByUser: (userId) => wrapDriver(async () => fold(await ordered(eq(t.apiKeys.userId, userId)))),
    listByAccount: (accountId) => wrapDriver(async () => fold(await ordered(eq(t.apiKeys.accountId, accountId)))),
    listAll: () => wrapDriver(async () => fold(await ordered(undefined))),
    revoke: (id, at) =>
      wrapDriver(async () => {
        const changed = await orm
          .update(t.apiKeys)
          .set({ active: false, revokedAt: at })
          .where(and(eq(t.apiKeys.id, id), eq(t.apiKeys.active, true)))
          .returning({ id: t.apiKeys.id });
        return changed.length > 0;
      }),
    setExpiry: (id, expiresAt) =>
      wrapDriver(async () => {
        await orm.update(t.apiKeys).set({ expiresAt }).where(eq(t.apiKeys.id, id));
      }),
    touchLastUsed: (id, at, olderThan) =>
      wrapDriver(async () => {
        const changed = await orm
          .update(t.apiKeys)
          .set({ lastUsedAt: at })
          .where(and(eq(t.apiKeys.id, id), or(isNull(t.apiKeys.lastUsedAt), lt(t.apiKeys.lastUsedAt, olderThan))))
          .returning({ id: t.apiKeys.id });
        return changed.length > 0;
      }),
  };
}
