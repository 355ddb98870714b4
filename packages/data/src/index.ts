export { DataError, type DataErrorCode, toDataError, wrapDriver } from './core/data-error.ts';
export type {
  Database,
  Db,
  Dialect,
  DriverName,
  PostgresDatabase,
  PostgresOrm,
  SqliteDatabase,
  SqliteOrm,
  SqlRunner,
  SqlStatement,
} from './core/database.ts';
export { migrate, migrationsFor, schemaVersion } from './core/migrate.ts';
export {
  type AgentHostResolver,
  type AgentHostResolverOptions,
  agentHostResolver,
  type ResolvedAgentHostResolverOptions,
  resolveAgentHostResolverOptions,
} from './host/agent-host-resolver.ts';
export {
  canonicalRow,
  checkLink,
  GENESIS_HASH,
  type JournalChainKeys,
  type LinkFailure,
  linkHash,
} from './journal/chain.ts';
export {
  type DatabaseJournalSink,
  type DatabaseJournalSinkOptions,
  databaseJournalSink,
  type JournalQuery,
  type JournalVerification,
  type StoredJournalEvent,
} from './journal/database-sink.ts';
export { MAX_DETAILS_LENGTH, redactDetails } from './journal/redact.ts';
export type { EmbeddedMigration } from './migrations/embedded.ts';
export { accountRepository, isAccountNumber, randomAccountNumber } from './repositories/accounts.ts';
export {
  type AgentPatch,
  type AgentRecord,
  type AgentRepository,
  agentHostname,
  agentRepository,
  type DomainStatus,
  type NewAgent,
} from './repositories/agents.ts';
export { apiKeyRepository } from './repositories/api-keys.ts';
export { createRepositories, type Repositories } from './repositories/index.ts';
export {
  type LoginAttempt,
  type LoginAttemptRepository,
  type LoginAttemptSubject,
  loginAttemptRepository,
} from './repositories/login-attempts.ts';
export { oauthLinkRepository } from './repositories/oauth-links.ts';
export type { RepositoryOptions } from './repositories/options.ts';
export { type NewSecret, type SecretRecord, type SecretRepository, secretRepository } from './repositories/secrets.ts';
export { deleteExpiredSessions, sessionRepository } from './repositories/sessions.ts';
export { type NewUpload, type UploadRecord, type UploadRepository, uploadRepository } from './repositories/uploads.ts';
export { userRepository } from './repositories/users.ts';
export * as pgSchema from './schema/pg.ts';
export * as sqliteSchema from './schema/sqlite.ts';
export { type SqlStore, type SqlStoreOptions, sqlStore } from './store/sql-store.ts';
