import type { AuthRepositories } from '@smarter/auth';
import type { Database } from '../core/database.ts';
import { accountRepository } from './accounts.ts';
import { type AgentRepository, agentRepository } from './agents.ts';
import { apiKeyRepository } from './api-keys.ts';
import { type LoginAttemptRepository, loginAttemptRepository } from './login-attempts.ts';
import { oauthLinkRepository } from './oauth-links.ts';
import type { RepositoryOptions } from './options.ts';
import { type SecretRepository, secretRepository } from './secrets.ts';
import { sessionRepository } from './sessions.ts';
import { type UploadRepository, uploadRepository } from './uploads.ts';
import { userRepository } from './users.ts';

/** Every repository of the platform over one database: the auth ports plus agents, secrets, uploads and logins. */
export interface Repositories extends AuthRepositories {
  readonly agents: AgentRepository;
  readonly secrets: SecretRepository;
  readonly uploads: UploadRepository;
  readonly loginAttempts: LoginAttemptRepository;
}

/**
 * Builds every repository over `db` (they are plain functions of it; nothing is cached but prepared statements).
 *
 * @example
 * const repos = createRepositories(db);
 * const app = createApp({ config, db, auth: repos });
 */
export function createRepositories(db: Database, options: RepositoryOptions = {}): Repositories {
  return {
    accounts: accountRepository(db, options),
    users: userRepository(db, options),
    keys: apiKeyRepository(db),
    sessions: sessionRepository(db),
    oauthLinks: oauthLinkRepository(db, options),
    agents: agentRepository(db, options),
    secrets: secretRepository(db, options),
    uploads: uploadRepository(db, options),
    loginAttempts: loginAttemptRepository(db),
  };
}
