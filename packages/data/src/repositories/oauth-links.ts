import type { OAuthLinkRecord, OAuthLinkRepository } from '@smarter/auth';
import { and, asc, eq } from 'drizzle-orm';
import { wrapDriver } from '../core/data-error.ts';
import type { Database } from '../core/database.ts';
import { first, queries } from '../internal/orm.ts';
import type { RepositoryOptions } from './options.ts';

/**
 * OAuth provider links over a {@link Database}: the primary key (provider, subject) and a unique (user, provider)
 * index make a second link of either kind a `DATA_CONFLICT`, so two racing sign-ins cannot both link.
 */
export function oauthLinkRepository(db: Database, options: RepositoryOptions = {}): OAuthLinkRepository {
  const { orm, t } = queries(db);
  const now = options.now ?? Date.now;
  return {
    create: (input) =>
      wrapDriver(async () => {
        const record: OAuthLinkRecord = { ...input, createdAt: now() };
        await orm.insert(t.oauthLinks).values(record);
        return record;
      }),
    get: (provider, subject) =>
      wrapDriver(async () =>
        first(
          await orm
            .select()
            .from(t.oauthLinks)
            .where(and(eq(t.oauthLinks.provider, provider), eq(t.oauthLinks.subject, subject)))
            .limit(1),
        ),
      ),
    listByUser: (userId) =>
      wrapDriver(() =>
        orm
          .select()
          .from(t.oauthLinks)
          .where(eq(t.oauthLinks.userId, userId))
          .orderBy(asc(t.oauthLinks.createdAt), asc(t.oauthLinks.provider)),
      ),
    delete: (provider, subject) =>
      wrapDriver(async () => {
        const deleted = await orm
          .delete(t.oauthLinks)
          .where(and(eq(t.oauthLinks.provider, provider), eq(t.oauthLinks.subject, subject)))
          .returning({ subject: t.oauthLinks.subject });
        return deleted.length > 0;
      }),
  };
}
