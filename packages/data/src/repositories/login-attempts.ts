import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { wrapDriver } from '../core/data-error.ts';
import type { Database } from '../core/database.ts';
import { newId, queries } from '../internal/orm.ts';

/** One login attempt (SPEC §14): the email is stored lower-cased; the client key is a canonical IP or /64. */
export interface LoginAttempt {
  readonly email: string;
  readonly clientKey: string;
  readonly succeeded: boolean;
  readonly at: number;
}

/** Whose failures to count: one account (email) or one client. */
export type LoginAttemptSubject = { readonly email: string } | { readonly clientKey: string };

/** Login attempts storage, for throttling per account and per client. */
export interface LoginAttemptRepository {
  record(attempt: LoginAttempt): Promise<void>;
  /** Failed attempts of `subject` at or after `since` that no later success cleared. */
  countFailures(subject: LoginAttemptSubject, since: number): Promise<number>;
  /** Deletes attempts older than `before`; returns how many. */
  prune(before: number): Promise<number>;
}

/** Login attempts over a {@link Database}. */
export function loginAttemptRepository(db: Database): LoginAttemptRepository {
  const { orm, t } = queries(db);
  const a = t.loginAttempts;
  const subjectOf = (subject: LoginAttemptSubject) =>
    'email' in subject ? eq(a.email, subject.email.trim().toLowerCase()) : eq(a.clientKey, subject.clientKey);
  return {
    record: (attempt) =>
      wrapDriver(async () => {
        await orm.insert(a).values({ ...attempt, id: newId(), email: attempt.email.trim().toLowerCase() });
      }),
    countFailures: (subject, since) =>
      wrapDriver(async () => {
        const who = subjectOf(subject);
        const [success] = await orm
          .select({ at: sql<number | null>`max(${a.at})`.mapWith(Number) })
          .from(a)
          .where(and(who, eq(a.succeeded, true), gte(a.at, since)));
        const from = success?.at ? Math.max(since, success.at + 1) : since;
        const [row] = await orm
          .select({ n: sql<number>`count(*)`.mapWith(Number) })
          .from(a)
          .where(and(who, eq(a.succeeded, false), gte(a.at, from)));
        return row?.n ?? 0;
      }),
    prune: (before) =>
      wrapDriver(async () => {
        const deleted = await orm.delete(a).where(lt(a.at, before)).returning({ id: a.id });
        return deleted.length;
      }),
  };
}
