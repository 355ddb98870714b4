export { type KeyRing, type ParseKeyRingOptions, parseKeyRing } from './keys/key-ring.ts';
export type {
  AccountRecord,
  AccountRepository,
  ApiKeyRecord,
  ApiKeyRepository,
  AuthRepositories,
  Role,
  SessionRecord,
  SessionRepository,
  UserPatch,
  UserRecord,
  UserRepository,
} from './ports.ts';
