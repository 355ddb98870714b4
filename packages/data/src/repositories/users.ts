import type { UserRecord, UserRepository } from '@smarter/auth';
import { asc, eq, sql } from 'drizzle-orm';
import { wrapDriver } from '../core/data-error.ts';
import type { Database } from '../core/database.ts';
import { defined, first, newId, prepareNamed, queries } from '../internal/orm.ts';
import type { RepositoryOptions } from './options.ts';

/** Users over a {@link Database}: emails are stored lower-cased and unique case-insensitively. */
export function userRepository(db: Database, options: RepositoryOptions = {}): UserRepository {
  const { orm, t } = queries(db);
  const now = options.now ?? Date.now;
  // Read on every cold API-key verification and session load: one prepared statement.
  const byIdQuery = prepareNamed(
    () =>
      orm
        .select()
        .from(t.users)
        .where(eq(t.users.id, sql.placeholder('id')))
        .limit(1),
    'smarter_user_by_id',
  );
  const byId = async (id: string) => first(await byIdQuery().execute({ id }));
  return {
    create: (input) =>
      wrapDriver(async () => {
        const record: UserRecord = {
          ...input,
          id: newId(),
          email: input.email.trim().toLowerCase(),
          passwordChangedAt: null,
          lastLoginAt: null,
          createdAt: now(),
        };
        await orm.insert(t.users).values(record);
        return record;
      }),
    getById: (id) => wrapDriver(() => byId(id)),
    getByEmail: (email) =>
      wrapDriver(async () =>
        first(
          await orm
            .select()
            .from(t.users)
            .where(eq(sql`lower(${t.users.email})`, email.trim().toLowerCase()))
            .limit(1),
        ),
      ),
    listByAccount: (accountId) =>
      wrapDriver(() =>
        orm
          .select()
          .from(t.users)
          .where(eq(t.users.accountId, accountId))
          .orderBy(asc(t.users.createdAt), asc(t.users.id)),
      ),
    update: (id, patch) =>
      wrapDriver(async () => {
        const values = defined(patch);
        if (Object.keys(values).length === 0) return byId(id);
        return first(await orm.update(t.users).set(values).where(eq(t.users.id, id)).returning());
      }),
  };
}
