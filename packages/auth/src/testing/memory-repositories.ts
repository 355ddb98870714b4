import { SmarterError } from '@smarter/security';
import type {
  AccountRecord,
  ApiKeyRecord,
  AuthRepositories,
  OAuthLinkRecord,
  SessionRecord,
  UserRecord,
} from '../ports.ts';

/** Options of {@link memoryAuthRepositories}. */
export interface MemoryAuthRepositoriesOptions {
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * In-memory {@link AuthRepositories} for unit tests only: per process, unbounded, no persistence. Production code
 * uses the `@smarter/data` implementations for a real database.
 */
export function memoryAuthRepositories(options: MemoryAuthRepositoriesOptions = {}): AuthRepositories {
  const now = options.now ?? (() => Date.now());
  const accounts = new Map<string, AccountRecord>();
  const users = new Map<string, UserRecord>();
  const keys = new Map<string, ApiKeyRecord>();
  const sessions = new Map<string, SessionRecord>();
  // Keyed by provider and subject (the primary key of the table in @smarter/data).
  const links = new Map<string, OAuthLinkRecord>();
  const linkKey = (provider: string, subject: string) => `${provider}\u0000${subject}`;
  return {
    accounts: {
      async create(input) {
        for (const a of accounts.values()) {
          if (a.number === input.number) throw new SmarterError('DATA_CONFLICT', 'Conflict', { status: 409 });
        }
        const record: AccountRecord = { ...input, id: crypto.randomUUID(), createdAt: now() };
        accounts.set(record.id, record);
        return record;
      },
      async getById(id) {
        return accounts.get(id);
      },
      async getByNumber(accountNumber) {
        return [...accounts.values()].find((a) => a.number === accountNumber);
      },
    },
    users: {
      async create(input) {
        const email = input.email.toLowerCase();
        for (const u of users.values()) {
          if (u.email === email) throw new SmarterError('DATA_CONFLICT', 'Conflict', { status: 409 });
        }
        const record: UserRecord = {
          ...input,
          email,
          id: crypto.randomUUID(),
          createdAt: now(),
          lastLoginAt: null,
          passwordChangedAt: null,
        };
        users.set(record.id, record);
        return record;
      },
      async getById(id) {
        return users.get(id);
      },
      async getByEmail(email) {
        const lower = email.toLowerCase();
        return [...users.values()].find((u) => u.email === lower);
      },
      async listByAccount(accountId) {
        return [...users.values()].filter((u) => u.accountId === accountId);
      },
      async update(id, patch) {
        const user = users.get(id);
        if (!user) return undefined;
        const next = { ...user, ...patch };
        users.set(id, next);
        return next;
      },
    },
    keys: {
      async create(record) {
        if (keys.has(record.id)) throw new SmarterError('DATA_CONFLICT', 'Conflict', { status: 409 });
        keys.set(record.id, { ...record, scopes: [...record.scopes], agentIds: [...record.agentIds] });
      },
      async getById(id) {
        return keys.get(id);
      },
      async getWithOwner(id) {
        const key = keys.get(id);
        return key ? { key, owner: users.get(key.userId) } : undefined;
      },
      async listByUser(userId) {
        return [...keys.values()].filter((k) => k.userId === userId);
      },
      async listByAccount(accountId) {
        return [...keys.values()].filter((k) => k.accountId === accountId);
      },
      async listAll() {
        return [...keys.values()];
      },
      async revoke(id, at) {
        const key = keys.get(id);
        if (!key?.active) return false;
        keys.set(id, { ...key, active: false, revokedAt: at });
        return true;
      },
      async setExpiry(id, expiresAt) {
        const key = keys.get(id);
        if (key) keys.set(id, { ...key, expiresAt });
      },
      async touchLastUsed(id, at, olderThan) {
        const key = keys.get(id);
        if (!key || (key.lastUsedAt !== null && key.lastUsedAt >= olderThan)) return false;
        keys.set(id, { ...key, lastUsedAt: at });
        return true;
      },
    },
    sessions: {
      async create(record) {
        sessions.set(record.idHash, record);
      },
      async get(idHash) {
        return sessions.get(idHash);
      },
      async touch(idHash, lastSeenAt) {
        const s = sessions.get(idHash);
        if (s) sessions.set(idHash, { ...s, lastSeenAt });
      },
      async delete(idHash) {
        sessions.delete(idHash);
      },
      async deleteByUser(userId, exceptIdHash) {
        let n = 0;
        for (const [hash, s] of sessions) {
          if (s.userId === userId && hash !== exceptIdHash) {
            sessions.delete(hash);
            n++;
          }
        }
        return n;
      },
    },
    oauthLinks: {
      async create(input) {
        for (const l of links.values()) {
          if (l.provider === input.provider && (l.subject === input.subject || l.userId === input.userId)) {
            throw new SmarterError('DATA_CONFLICT', 'Conflict', { status: 409 });
          }
        }
        const record: OAuthLinkRecord = { ...input, createdAt: now() };
        links.set(linkKey(input.provider, input.subject), record);
        return record;
      },
      async get(provider, subject) {
        return links.get(linkKey(provider, subject));
      },
      async listByUser(userId) {
        return [...links.values()].filter((l) => l.userId === userId);
      },
      async delete(provider, subject) {
        return links.delete(linkKey(provider, subject));
      },
    },
  };
}
