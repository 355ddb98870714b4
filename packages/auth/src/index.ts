export { ACCOUNT_NUMBER_PATTERN, generateAccountNumber } from './accounts/account-number.ts';
export {
  type AccountService,
  type AccountServiceOptions,
  type CreateUserInput,
  createAccountService,
  PasswordRejectedError,
  type RegistrationPolicy,
} from './accounts/account-service.ts';
export {
  type AccountScoped,
  type Actor,
  assertAccountAccess,
  assertRole,
  canAccessAccount,
  canAdministerAccount,
  canManageKeysOf,
  canManageUser,
} from './accounts/authorization.ts';
export {
  type ApiKeyAuthOptions,
  apiKeyAuth,
  type KeyRateLimit,
  type ResolvedApiKeyAuthOptions,
  resolveApiKeyAuthOptions,
} from './api-keys/api-key-auth.ts';
export {
  type ApiKeyFailure,
  type ApiKeyService,
  type ApiKeyServiceOptions,
  type ApiKeyVerification,
  createApiKeyService,
  type IssueApiKeyInput,
  type IssuedApiKey,
  type KeyActor,
  type ResolvedApiKeyServiceOptions,
  resolveApiKeyServiceOptions,
  type VerifyContext,
} from './api-keys/api-key-service.ts';
export {
  API_KEY_PREFIX,
  formatApiKey,
  generateApiKey,
  maskApiKey,
  type ParsedApiKey,
  parseApiKey,
} from './api-keys/format.ts';
export { requireScopes } from './api-keys/require-scopes.ts';
export {
  type ConsoleEmailSenderOptions,
  consoleEmailSender,
  type EmailMessage,
  type EmailSender,
} from './email/email.ts';
export { type DerivedKeys, derivedKeys, deriveKey } from './keys/derive.ts';
export { type KeyRing, keyFingerprintId, type ParseKeyRingOptions, parseKeyRing } from './keys/key-ring.ts';
export { type KeyRingEnvironment, loadKeyRing } from './keys/load-key-ring.ts';
export { createSigner, type Signer } from './keys/signer.ts';
export { type SyncMac, type SyncMacKeys, syncMacKeys } from './keys/sync-hmac.ts';
export {
  createOAuthLogin,
  type OAuthFailure,
  type OAuthLogin,
  type OAuthLoginOptions,
  type OAuthProviderConfig,
  type OAuthResult,
} from './oauth/oauth-login.ts';
export {
  fetchProviderIdentity,
  OAUTH_PROVIDERS,
  type OAuthEndpoints,
  type OAuthProviderId,
  type OAuthProviderPreset,
  type ProviderIdentity,
} from './oauth/providers.ts';
export { commonPasswords } from './passwords/common-passwords.ts';
export type { EngineParams, PasswordEngine } from './passwords/engine.ts';
export {
  createLoginService,
  type LoginAttempt,
  type LoginResult,
  type LoginService,
  type LoginServiceOptions,
  loginFailureResponse,
  resolveLoginServiceOptions,
} from './passwords/login.ts';
export {
  createPasswordHasher,
  type ParsedPasswordHash,
  type PasswordCheck,
  type PasswordHasher,
  type PasswordHasherOptions,
  parsePasswordHash,
} from './passwords/password-hasher.ts';
export {
  PBKDF2_MAX_ITERATIONS,
  type Pbkdf2EngineOptions,
  pbkdf2Engine,
  resolvePbkdf2Options,
} from './passwords/pbkdf2-engine.ts';
export {
  createUserTokens,
  type UserTokenPurpose,
  type UserTokens,
  type UserTokensOptions,
  userTokenLink,
} from './passwords/user-tokens.ts';
export {
  type BreachCheckOptions,
  breachedPasswordValidator,
  commonPasswordValidator,
  type DefaultPasswordValidatorsOptions,
  defaultPasswordValidators,
  maximumLengthValidator,
  minimumLengthValidator,
  numericPasswordValidator,
  type PasswordProblem,
  type PasswordUserAttributes,
  type PasswordValidator,
  quickRatio,
  userAttributeSimilarityValidator,
  validatePassword,
} from './passwords/validators.ts';
export type {
  AccountRecord,
  AccountRepository,
  ApiKeyRecord,
  ApiKeyRepository,
  AuthRepositories,
  OAuthLinkRecord,
  OAuthLinkRepository,
  Role,
  SessionRecord,
  SessionRepository,
  UserPatch,
  UserRecord,
  UserRepository,
} from './ports.ts';
export type { ApiKeyPrincipal, AuthVariables, Principal, SessionPrincipal } from './principal/principal.ts';
export { authChallenge, unauthenticatedResponse } from './principal/unauthenticated.ts';
export {
  createSecretBox,
  type EncryptOptions,
  maskSecret,
  type SecretBox,
  type SecretBoxOptions,
} from './secrets/secret-box.ts';
export {
  createSessionManager,
  type ResolvedSessionManagerOptions,
  resolveSessionManagerOptions,
  type SessionAuthOptions,
  type SessionManager,
  type SessionManagerOptions,
  sessionAuth,
  sessionIdentity,
} from './sessions/session-manager.ts';
