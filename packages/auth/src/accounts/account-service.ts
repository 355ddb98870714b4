import { type Clock, type Journal, SmarterConfigError, SmarterError } from '@smarter/security';
import type { EmailSender } from '../email/email.ts';
import { systemClock } from '../internal/clock.ts';
import { silentJournal } from '../internal/journal.ts';
import type { PasswordHasher } from '../passwords/password-hasher.ts';
import { type UserTokens, userTokenLink } from '../passwords/user-tokens.ts';
import { type PasswordProblem, type PasswordValidator, validatePassword } from '../passwords/validators.ts';
import type { AccountRecord, AuthRepositories, Role, UserRecord } from '../ports.ts';
import { generateAccountNumber } from './account-number.ts';
import { type Actor, assertAccountAccess, canAdministerAccount, canManageUser } from './authorization.ts';

/** Who may sign up on their own (SPEC §16). */
export type RegistrationPolicy = 'closed' | 'open';

/** Options of {@link createAccountService}. */
export interface AccountServiceOptions {
  readonly repositories: AuthRepositories;
  readonly hasher: PasswordHasher;
  readonly validators: readonly PasswordValidator[];
  /** Needed for registration (activation) and password reset. */
  readonly tokens?: UserTokens;
  /** Self-registration; when open, new users stay inactive until they activate by email. @default 'closed' */
  readonly registration?: RegistrationPolicy;
  /** Sends reset and activation links. @default none (no emails; the caller sends them) */
  readonly email?: EmailSender;
  /** Base URL of emailed links, from configuration (never from the request). Required with `email`. */
  readonly linkBaseUrl?: string;
  readonly journal?: Journal;
  /** @default Date.now */
  readonly now?: Clock;
}

/** A password refused by the validators: 400 `PASSWORD_INVALID` with every problem (codes are Django's). */
export class PasswordRejectedError extends SmarterError {
  readonly problems: readonly PasswordProblem[];
  constructor(problems: readonly PasswordProblem[]) {
    super('PASSWORD_INVALID', 'Password rejected', { status: 400, detail: problems.map((p) => p.message).join(' ') });
    this.name = 'PasswordRejectedError';
    this.problems = problems;
  }
}

/** Input to create a user. */
export interface CreateUserInput {
  readonly accountId: string;
  readonly email: string;
  /** Omitted for OAuth-only users. */
  readonly password?: string;
  /** @default 'member' */
  readonly role?: Role;
  /** @default true */
  readonly active?: boolean;
  /** @default false */
  readonly emailVerified?: boolean;
}

/** Accounts, users and their passwords, every call checked against the actor's account and role (SPEC §16). */
export interface AccountService {
  /** A new account (tenant); superusers only, or `'system'` (CLI, bootstrap). */
  createAccount(actor: Actor | 'system', name: string): Promise<AccountRecord>;
  createUser(actor: Actor | 'system', input: CreateUserInput): Promise<UserRecord>;
  getUser(actor: Actor, id: string): Promise<UserRecord>;
  listUsers(actor: Actor, accountId: string): Promise<UserRecord[]>;
  updateUser(actor: Actor, id: string, patch: { readonly role?: Role; readonly active?: boolean }): Promise<UserRecord>;
  /** Checks the current password and the validators; ends every session of the user. */
  changePassword(user: UserRecord, current: string, next: string): Promise<UserRecord>;
  /** Consumes a reset token and sets the password; ends every session of the user. */
  resetPassword(token: string, next: string): Promise<UserRecord>;
  /**
   * Self-registration (policy `open` only): a new account and an inactive user without a password, to activate by
   * email. Whoever registers an address does not choose its password: the person who opens the link does.
   */
  register(input: { readonly email: string; readonly accountName: string }): Promise<UserRecord>;
  /**
   * Consumes an activation token and sets the password (validated first, so a refused one does not burn the link):
   * the user becomes active with a verified email, and any session of the address before ends.
   */
  activate(token: string, password: string): Promise<UserRecord>;
  /**
   * Emails a reset link when the address belongs to an active user; resolves the same way either way, so the answer
   * never tells whether an account exists.
   */
  requestPasswordReset(email: string): Promise<void>;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,189}\.[^\s@]{2,63}$/;
const notFound = () => new SmarterError('NOT_FOUND', 'Not found', { status: 404 });
const badToken = () => new SmarterError('TOKEN_INVALID', 'The link is invalid or has expired', { status: 400 });

/**
 * Creates the account service.
 *
 * @example
 * const accounts = createAccountService({ repositories, hasher, validators: defaultPasswordValidators(), tokens });
 * await accounts.createUser(admin, { accountId: admin.accountId, email, password });
 */
export function createAccountService(options: AccountServiceOptions): AccountService {
  const registration = options.registration ?? 'closed';
  if (registration !== 'closed' && registration !== 'open')
    throw new SmarterConfigError('registration must be "closed" or "open".');
  if (options.email && !options.linkBaseUrl)
    throw new SmarterConfigError('email needs linkBaseUrl (e.g. "https://app.example.com").');
  if (options.linkBaseUrl) userTokenLink(options.linkBaseUrl, '/', 'check');
  const repos = options.repositories;
  const journal = options.journal ?? silentJournal;
  const now = options.now ?? systemClock;

  async function checkedHash(password: string, email: string): Promise<string> {
    const problems = await validatePassword(password, { email, username: email.split('@')[0] }, options.validators);
    if (problems.length > 0) throw new PasswordRejectedError(problems);
    return options.hasher.hash(password);
  }

  function normalEmail(email: string): string {
    const lower = email.trim().toLowerCase();
    if (!EMAIL.test(lower)) throw new SmarterError('EMAIL_INVALID', 'Email address is not valid', { status: 400 });
    return lower;
  }

  async function createAccount(actor: Actor | 'system', name: string): Promise<AccountRecord> {
    if (actor !== 'system' && (actor.role !== 'superuser' || actor.active === false)) {
      throw new SmarterError('FORBIDDEN', 'Forbidden', { status: 403 });
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return await repos.accounts.create({ number: generateAccountNumber(), name: name.trim().slice(0, 200) });
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  }

  async function setPassword(user: UserRecord, next: string): Promise<UserRecord> {
    const passwordHash = await checkedHash(next, user.email);
    const updated = await repos.users.update(user.id, { passwordHash, passwordChangedAt: now() });
    if (!updated) throw notFound();
    await repos.sessions.deleteByUser(user.id);
    return updated;
  }

  return {
    createAccount,
    async createUser(actor, input) {
      const role = input.role ?? 'member';
      if (actor !== 'system' && !canManageUser(actor, { id: '', accountId: input.accountId, role })) {
        throw new SmarterError('FORBIDDEN', 'Forbidden', { status: 403 });
      }
      if (!(await repos.accounts.getById(input.accountId))) throw notFound();
      const email = normalEmail(input.email);
      const passwordHash = input.password === undefined ? null : await checkedHash(input.password, email);
      const user = await repos.users.create({
        accountId: input.accountId,
        email,
        role,
        active: input.active ?? true,
        emailVerified: input.emailVerified ?? false,
        passwordHash,
      });
      journal.emit({
        type: 'user.created',
        severity: 'notice',
        principal: actor === 'system' ? 'system' : actor.id,
        account: user.accountId,
        details: { user: user.id, role },
      });
      return user;
    },
    async getUser(actor, id) {
      return assertAccountAccess(actor, await repos.users.getById(id));
    },
    async listUsers(actor, accountId) {
      if (!canAdministerAccount(actor, accountId)) throw notFound();
      return repos.users.listByAccount(accountId);
    },
    async updateUser(actor, id, patch) {
      const target = assertAccountAccess(actor, await repos.users.getById(id));
      if (
        !canManageUser(actor, target) ||
        (patch.role !== undefined && !canManageUser(actor, { ...target, role: patch.role }))
      ) {
        throw new SmarterError('FORBIDDEN', 'Forbidden', { status: 403 });
      }
      const updated = await repos.users.update(id, {
        ...(patch.role ? { role: patch.role } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
      });
      if (!updated) throw notFound();
      // A privilege change or deactivation ends the user's sessions; they sign in again with the new rights.
      await repos.sessions.deleteByUser(id);
      // Deactivation also voids the user's emailed links for good: reactivating restores the state they were bound to.
      if (patch.active === false) await options.tokens?.revokeAll(id);
      // A provider account linked by email while the user was a member would otherwise go on signing in an admin or
      // superuser, which an email match never does (see oauthLogin): promotion drops the links.
      if (target.role === 'member' && patch.role !== undefined && patch.role !== 'member') {
        for (const link of await repos.oauthLinks.listByUser(id))
          await repos.oauthLinks.delete(link.provider, link.subject);
      }
      return updated;
    },
    async changePassword(user, current, next) {
      const check = user.passwordHash ? await options.hasher.verify(current, user.passwordHash) : { ok: false };
      if (!check.ok) throw new SmarterError('INVALID_CREDENTIALS', 'Current password is wrong', { status: 400 });
      const updated = await setPassword(user, next);
      journal.emit({ type: 'password.changed', severity: 'notice', principal: user.id, account: user.accountId });
      return updated;
    },
    async resetPassword(token, next) {
      if (!options.tokens) throw new SmarterConfigError('resetPassword needs { tokens: createUserTokens(…) }.');
      const user = await options.tokens.check('password-reset', token);
      if (!user?.active) throw badToken();
      // Validate before using the token up, so a rejected password does not burn the link.
      const passwordHash = await checkedHash(next, user.email);
      if (!(await options.tokens.consume('password-reset', token))) throw badToken();
      const updated = await repos.users.update(user.id, { passwordHash, passwordChangedAt: now() });
      if (!updated) throw badToken();
      await repos.sessions.deleteByUser(user.id);
      journal.emit({ type: 'password.reset', severity: 'notice', principal: user.id, account: user.accountId });
      return updated;
    },
    async register(input) {
      if (registration !== 'open')
        throw new SmarterError('REGISTRATION_CLOSED', 'Registration is closed', { status: 403 });
      const email = normalEmail(input.email);
      const account = await createAccount('system', input.accountName);
      // No password yet: one chosen here would outlive activation by someone else (the owner of the mailbox), and
      // whoever registered the address first would share the account.
      const user = await repos.users.create({
        accountId: account.id,
        email,
        role: 'admin',
        active: false,
        emailVerified: false,
        passwordHash: null,
      });
      journal.emit({
        type: 'user.created',
        severity: 'notice',
        principal: 'registration',
        account: account.id,
        details: { user: user.id },
      });
      if (options.email && options.tokens && options.linkBaseUrl) {
        const link = userTokenLink(options.linkBaseUrl, '/activate', await options.tokens.create('activation', user));
        await options.email.send({
          to: user.email,
          subject: 'Activate your Smarter account',
          text: `Activate your account within 24 hours:\n\n${link}\n`,
        });
      }
      return user;
    },
    async requestPasswordReset(email) {
      if (!options.tokens || !options.email || !options.linkBaseUrl) {
        throw new SmarterConfigError('requestPasswordReset needs { tokens, email, linkBaseUrl }.');
      }
      const lower = email.trim().toLowerCase();
      const user = EMAIL.test(lower) ? await repos.users.getByEmail(lower) : undefined;
      if (!user?.active) return;
      const link = userTokenLink(options.linkBaseUrl, '/reset', await options.tokens.create('password-reset', user));
      await options.email.send({
        to: user.email,
        subject: 'Reset your Smarter password',
        text: `Reset your password within 24 hours:\n\n${link}\n\nIf you did not ask for this, ignore this email.\n`,
      });
    },
    async activate(token, password) {
      if (!options.tokens) throw new SmarterConfigError('activate needs { tokens: createUserTokens(…) }.');
      const pending = await options.tokens.check('activation', token);
      if (!pending) throw badToken();
      const passwordHash = await checkedHash(password, pending.email);
      const user = await options.tokens.consume('activation', token);
      if (!user) throw badToken();
      const updated = await repos.users.update(user.id, {
        active: true,
        emailVerified: true,
        passwordHash,
        passwordChangedAt: now(),
      });
      if (!updated) throw badToken();
      await repos.sessions.deleteByUser(user.id);
      return updated;
    },
  };
}
