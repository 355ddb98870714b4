import type { AccountRecord, ApiKeyRecord, OAuthLinkRecord, SessionRecord, UserRecord } from '@smarter/auth';
import type { InferSelectModel, Table } from 'drizzle-orm';
import { getTableConfig as pgConfig } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig } from 'drizzle-orm/sqlite-core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { AgentRecord } from '../repositories/agents.ts';
import type { SecretRecord } from '../repositories/secrets.ts';
import type { UploadRecord } from '../repositories/uploads.ts';
import * as pg from './pg.ts';
import * as sqlite from './sqlite.ts';

/** True when A and B are assignable both ways (readonly aside): the same shape. */
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Same<A extends Table, B extends Table> = Mutual<InferSelectModel<A>, InferSelectModel<B>>;

describe('schemas', () => {
  it('give identical row shapes in both dialect families (checked by tsc)', () => {
    expectTypeOf<Same<typeof sqlite.accounts, typeof pg.accounts>>().toEqualTypeOf<true>();
    expectTypeOf<Same<typeof sqlite.users, typeof pg.users>>().toEqualTypeOf<true>();
    expectTypeOf<Same<typeof sqlite.apiKeys, typeof pg.apiKeys>>().toEqualTypeOf<true>();
    expectTypeOf<Same<typeof sqlite.apiKeyAgents, typeof pg.apiKeyAgents>>().toEqualTypeOf<true>();
    expectTypeOf<Same<typeof sqlite.sessions, typeof pg.sessions>>().toEqualTypeOf<true>();
    expectTypeOf<Same<typeof sqlite.oauthLinks, typeof pg.oauthLinks>>().toEqualTypeOf<true>();
    expectTypeOf<Same<typeof sqlite.agents, typeof pg.agents>>().toEqualTypeOf<true>();
    expectTypeOf<Same<typeof sqlite.secrets, typeof pg.secrets>>().toEqualTypeOf<true>();
    expectTypeOf<Same<typeof sqlite.journal, typeof pg.journal>>().toEqualTypeOf<true>();
    expectTypeOf<Same<typeof sqlite.uploads, typeof pg.uploads>>().toEqualTypeOf<true>();
    expectTypeOf<Same<typeof sqlite.kv, typeof pg.kv>>().toEqualTypeOf<true>();
    expectTypeOf<Same<typeof sqlite.loginAttempts, typeof pg.loginAttempts>>().toEqualTypeOf<true>();
    // A differing table must be told apart, or the checks above prove nothing.
    expectTypeOf<Same<typeof sqlite.users, typeof pg.accounts>>().toEqualTypeOf<false>();
  });

  it('store exactly the records the ports and repositories speak (checked by tsc)', () => {
    expectTypeOf<Mutual<InferSelectModel<typeof sqlite.accounts>, AccountRecord>>().toEqualTypeOf<true>();
    expectTypeOf<Mutual<InferSelectModel<typeof sqlite.users>, UserRecord>>().toEqualTypeOf<true>();
    expectTypeOf<Mutual<InferSelectModel<typeof sqlite.sessions>, SessionRecord>>().toEqualTypeOf<true>();
    expectTypeOf<Mutual<InferSelectModel<typeof sqlite.oauthLinks>, OAuthLinkRecord>>().toEqualTypeOf<true>();
    expectTypeOf<Mutual<InferSelectModel<typeof sqlite.secrets>, SecretRecord>>().toEqualTypeOf<true>();
    expectTypeOf<Mutual<InferSelectModel<typeof sqlite.uploads>, UploadRecord>>().toEqualTypeOf<true>();
    expectTypeOf<Mutual<InferSelectModel<typeof sqlite.agents>, AgentRecord>>().toEqualTypeOf<true>();
    expectTypeOf<
      Mutual<InferSelectModel<typeof sqlite.apiKeys>, Omit<ApiKeyRecord, 'agentIds'>>
    >().toEqualTypeOf<true>();
    expectTypeOf<Mutual<InferSelectModel<typeof sqlite.users>, AccountRecord>>().toEqualTypeOf<false>();
  });

  it('have the same tables, columns, nullability and keys at run time', () => {
    const sqliteTables = new Map(Object.entries(sqlite));
    const pgTables = new Map(Object.entries(pg));
    const names = [...sqliteTables.keys()].sort();
    expect([...pgTables.keys()].sort()).toEqual(names);
    expect(names).toHaveLength(12);
    for (const name of names) {
      const a = sqliteConfig(sqliteTables.get(name) as typeof sqlite.users);
      const b = pgConfig(pgTables.get(name) as typeof pg.users);
      expect(b.name).toBe(a.name);
      const shape = (columns: typeof a.columns | typeof b.columns) =>
        columns.map((c) => [c.name, c.notNull, c.primary, c.isUnique]).sort();
      expect(shape(b.columns)).toEqual(shape(a.columns));
      expect(b.indexes.map((i) => i.config.name).sort()).toEqual(a.indexes.map((i) => i.config.name).sort());
      expect(b.foreignKeys.length).toBe(a.foreignKeys.length);
    }
  });
});
