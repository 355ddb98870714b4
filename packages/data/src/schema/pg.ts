import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** A JSON value kept as TEXT, so both dialects store and return exactly the same thing. */
const jsonText = <T>(name: string) =>
  customType<{ data: T; driverData: string }>({
    dataType: () => 'text',
    toDriver: (value) => JSON.stringify(value),
    fromDriver: (value) => JSON.parse(value) as T,
  })(name);

/** Epoch milliseconds. */
const millis = (name: string) => bigint(name, { mode: 'number' });
const flag = (name: string) => boolean(name);

/** Tenants (SPEC §16): random `####-####-####` numbers. */
export const accounts = pgTable('accounts', {
  id: text('id').primaryKey(),
  number: text('number').notNull().unique(),
  name: text('name').notNull(),
  createdAt: millis('created_at').notNull(),
});

/** Users: the email is stored lower-cased and unique case-insensitively. */
export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    email: text('email').notNull(),
    role: text('role', { enum: ['superuser', 'admin', 'member'] }).notNull(),
    active: flag('active').notNull(),
    emailVerified: flag('email_verified').notNull(),
    passwordHash: text('password_hash'),
    passwordChangedAt: millis('password_changed_at'),
    lastLoginAt: millis('last_login_at'),
    createdAt: millis('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('users_email_lower_unique').on(sql`lower(${t.email})`),
    index('users_account_idx').on(t.accountId),
  ],
);

/** API keys: only a keyed hash of the secret is stored (SPEC §12). */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    description: text('description').notNull(),
    hash: text('hash').notNull(),
    pepperId: text('pepper_id').notNull(),
    lastFour: text('last_four').notNull(),
    scopes: jsonText<readonly string[]>('scopes').notNull(),
    createdAt: millis('created_at').notNull(),
    expiresAt: millis('expires_at').notNull(),
    lastUsedAt: millis('last_used_at'),
    active: flag('active').notNull(),
    revokedAt: millis('revoked_at'),
  },
  (t) => [index('api_keys_user_idx').on(t.userId), index('api_keys_account_idx').on(t.accountId)],
);

/** Which agents a key is bound to (no row: not bound). */
export const apiKeyAgents = pgTable(
  'api_key_agents',
  {
    keyId: text('key_id')
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    // No foreign key on purpose: deleting an agent must not unbind its keys (an unbound key opens every agent);
    // a binding to a deleted agent opens nothing, and agent ids are never reused.
    agentId: text('agent_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.agentId] }), index('api_key_agents_agent_idx').on(t.agentId)],
);

/** Server-side sessions, by hash of the opaque id (SPEC §13). */
export const sessions = pgTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accountId: text('account_id').notNull(),
    createdAt: millis('created_at').notNull(),
    lastSeenAt: millis('last_seen_at').notNull(),
    expiresAt: millis('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/**
 * Provider accounts linked to users (SPEC §15): after the first sign-in the provider's stable subject says who signs
 * in, not the email it shows. One link per provider account, and one per provider for a user.
 */
export const oauthLinks = pgTable(
  'oauth_links',
  {
    provider: text('provider').notNull(),
    subject: text('subject').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: millis('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.subject] }),
    uniqueIndex('oauth_links_user_provider_unique').on(t.userId, t.provider),
  ],
);

/** Secrets: AES-GCM ciphertext only; encryption belongs to @smarter/auth (SPEC §17). */
export const secrets = pgTable(
  'secrets',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    ownerId: text('owner_id').notNull(),
    name: text('name').notNull(),
    ciphertext: text('ciphertext').notNull(),
    keyId: text('key_id').notNull(),
    createdAt: millis('created_at').notNull(),
    updatedAt: millis('updated_at').notNull(),
    expiresAt: millis('expires_at'),
    lastAccessedAt: millis('last_accessed_at'),
  },
  (t) => [uniqueIndex('secrets_account_name_unique').on(t.accountId, t.name), index('secrets_owner_idx').on(t.ownerId)],
);

/** LLM agents; each deployed agent answers on its own hostname or a verified custom domain (SPEC §5). */
export const agents = pgTable(
  'agents',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    name: text('name').notNull(),
    hostname: text('hostname').notNull().unique(),
    customDomain: text('custom_domain').unique(),
    domainVerificationToken: text('domain_verification_token'),
    domainStatus: text('domain_status', { enum: ['none', 'pending', 'verified'] }).notNull(),
    deployed: flag('deployed').notNull(),
    allowedOrigins: jsonText<readonly string[]>('allowed_origins').notNull(),
    requireKey: flag('require_key').notNull(),
    systemPrompt: text('system_prompt').notNull(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    providerBaseUrl: text('provider_base_url'),
    providerSecretId: text('provider_secret_id').references(() => secrets.id, { onDelete: 'set null' }),
    createdAt: millis('created_at').notNull(),
    updatedAt: millis('updated_at').notNull(),
  },
  (t) => [uniqueIndex('agents_account_name_unique').on(t.accountId, t.name)],
);

/** The audit journal: append-only, each row carries the hash of the previous one (SPEC §11). */
export const journal = pgTable(
  'journal',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    id: text('id').notNull().unique(),
    time: text('time').notNull(),
    type: text('type').notNull(),
    severity: text('severity').notNull(),
    requestId: text('request_id'),
    clientKey: text('client_key'),
    principal: text('principal'),
    account: text('account'),
    agent: text('agent'),
    method: text('method'),
    path: text('path'),
    status: integer('status'),
    reason: text('reason'),
    details: text('details'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('journal_time_idx').on(t.time),
    index('journal_type_idx').on(t.type),
    // An account admin's view of the journal (`list({ account })`) and one principal's trail (`list({ principal })`)
    // walk these in sequence order.
    index('journal_account_seq_idx').on(t.account, t.seq),
    index('journal_principal_seq_idx').on(t.principal, t.seq),
  ],
);

/** Uploaded files' metadata; the bytes live in a storage port (SPEC §18). */
export const uploads = pgTable(
  'uploads',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    ownerId: text('owner_id').notNull(),
    agentId: text('agent_id'),
    storedName: text('stored_name').notNull().unique(),
    originalName: text('original_name').notNull(),
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    createdAt: millis('created_at').notNull(),
  },
  (t) => [index('uploads_owner_idx').on(t.ownerId), index('uploads_agent_idx').on(t.agentId)],
);

/** Key-value rows of the SQL {@link Store}: a value or a counter, each with an optional expiry. */
export const kv = pgTable(
  'kv',
  {
    key: text('key').primaryKey(),
    value: text('value'),
    count: integer('count').notNull(),
    expiresAt: millis('expires_at'),
  },
  (t) => [index('kv_expires_idx').on(t.expiresAt)],
);

/** Login attempts, for throttling per client and per account and for the audit trail (SPEC §14). */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    clientKey: text('client_key').notNull(),
    succeeded: flag('succeeded').notNull(),
    at: millis('at').notNull(),
  },
  (t) => [
    index('login_attempts_email_idx').on(t.email, t.at),
    index('login_attempts_client_idx').on(t.clientKey, t.at),
  ],
);
