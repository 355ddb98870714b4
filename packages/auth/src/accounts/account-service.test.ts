import { describe, expect, it } from 'vitest';
import { consoleEmailSender } from '../email/email.ts';
import { createPasswordHasher } from '../passwords/password-hasher.ts';
import { pbkdf2Engine } from '../passwords/pbkdf2-engine.ts';
import { createUserTokens } from '../passwords/user-tokens.ts';
import { defaultPasswordValidators } from '../passwords/validators.ts';
import { world } from '../testing-node/fixtures.ts';
import { ACCOUNT_NUMBER_PATTERN, generateAccountNumber } from './account-number.ts';
import { createAccountService } from './account-service.ts';
import { assertAccountAccess, canAccessAccount, canManageKeysOf, canManageUser } from './authorization.ts';

const strong = 'plum tractor sonnet 42';

async function setup(registration: 'open' | 'closed' = 'closed') {
  const w = world();
  const hasher = createPasswordHasher({ engine: pbkdf2Engine({ iterations: 10_000 }) });
  const email = consoleEmailSender({ write: () => {} });
  const tokens = createUserTokens({ keyRing: w.ring, repositories: w.repos, store: w.store, now: w.clock.now });
  const accounts = createAccountService({
    repositories: w.repos,
    hasher,
    validators: defaultPasswordValidators(),
    tokens,
    registration,
    email,
    linkBaseUrl: 'https://app.example.com',
    journal: w.journal,
    now: w.clock.now,
  });
  const acmeAccount = await accounts.createAccount('system', 'Acme');
  const globexAccount = await accounts.createAccount('system', 'Globex');
  const acmeAdmin = await accounts.createUser('system', {
    accountId: acmeAccount.id,
    email: 'admin@acme.test',
    password: strong,
    role: 'admin',
  });
  const acmeMember = await accounts.createUser('system', {
    accountId: acmeAccount.id,
    email: 'member@acme.test',
    password: strong,
  });
  const globexAdmin = await accounts.createUser('system', {
    accountId: globexAccount.id,
    email: 'admin@globex.test',
    password: strong,
    role: 'admin',
  });
  const globexMember = await accounts.createUser('system', {
    accountId: globexAccount.id,
    email: 'member@globex.test',
    password: strong,
  });
  return {
    ...w,
    accounts,
    tokens,
    email,
    hasher,
    acmeAccount,
    globexAccount,
    acmeAdmin,
    acmeMember,
    globexAdmin,
    globexMember,
  };
}

describe('account numbers', () => {
  it('are random ####-####-####', () => {
    const numbers = new Set(Array.from({ length: 50 }, generateAccountNumber));
    for (const n of numbers) expect(n).toMatch(ACCOUNT_NUMBER_PATTERN);
    expect(numbers.size).toBe(50);
  });
});

describe('authorization helpers', () => {
  const admin = { id: 'a', accountId: 'acc1', role: 'admin' as const };
  const member = { id: 'm', accountId: 'acc1', role: 'member' as const };
  const root = { id: 'r', accountId: 'acc0', role: 'superuser' as const };
  it('members manage their own keys, admins their account, superusers all', () => {
    const owner = (id: string, accountId: string, role: 'member' | 'admin' | 'superuser' = 'member') => ({
      id,
      accountId,
      role,
    });
    expect(canManageKeysOf(member, owner('m', 'acc1'))).toBe(true);
    expect(canManageKeysOf(member, owner('x', 'acc1'))).toBe(false);
    expect(canManageKeysOf(admin, owner('x', 'acc1'))).toBe(true);
    expect(canManageKeysOf(admin, owner('x', 'acc2'))).toBe(false);
    expect(canManageKeysOf(root, owner('x', 'acc2'))).toBe(true);
    expect(canManageKeysOf({ ...admin, active: false }, owner('x', 'acc1'))).toBe(false);
    // An admin never manages a superuser's keys, even in the admin's own account; a superuser does.
    expect(canManageKeysOf(admin, owner('s', 'acc1', 'superuser'))).toBe(false);
    expect(canManageKeysOf(root, owner('s', 'acc1', 'superuser'))).toBe(true);
  });
  it('only superusers make superusers; nobody crosses accounts but superusers', () => {
    expect(canManageUser(admin, { id: 'x', accountId: 'acc1', role: 'superuser' })).toBe(false);
    expect(canManageUser(root, { id: 'x', accountId: 'acc1', role: 'superuser' })).toBe(true);
    expect(canAccessAccount(member, 'acc2')).toBe(false);
    expect(() => assertAccountAccess(admin, { accountId: 'acc2' })).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => assertAccountAccess(admin, undefined)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});

describe('account service: nothing crosses accounts', () => {
  it("an admin of one account cannot read or change another account's users", async () => {
    const { accounts, acmeAdmin, globexAdmin, globexMember, globexAccount, repos } = await setup();
    await expect(accounts.getUser(acmeAdmin, globexMember.id)).rejects.toMatchObject({ status: 404 });
    await expect(accounts.listUsers(acmeAdmin, globexAccount.id)).rejects.toMatchObject({ status: 404 });
    await expect(accounts.updateUser(acmeAdmin, globexMember.id, { active: false })).rejects.toMatchObject({
      status: 404,
    });
    await expect(accounts.updateUser(acmeAdmin, globexAdmin.id, { role: 'member' })).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      accounts.createUser(acmeAdmin, { accountId: globexAccount.id, email: 'evil@acme.test', password: strong }),
    ).rejects.toMatchObject({ status: 403 });
    const untouched = await repos.users.getById(globexMember.id);
    expect(untouched?.active).toBe(true);
    expect((await repos.users.listByAccount(globexAccount.id)).map((u) => u.email).sort()).toEqual([
      'admin@globex.test',
      'member@globex.test',
    ]);
  });

  it('admins manage their own account; members cannot; only superusers grant superuser', async () => {
    const { accounts, acmeAdmin, acmeMember, acmeAccount } = await setup();
    expect((await accounts.listUsers(acmeAdmin, acmeAccount.id)).length).toBe(2);
    await expect(accounts.listUsers(acmeMember, acmeAccount.id)).rejects.toMatchObject({ status: 404 });
    await expect(accounts.updateUser(acmeMember, acmeAdmin.id, { active: false })).rejects.toMatchObject({
      status: 403,
    });
    await expect(accounts.updateUser(acmeAdmin, acmeMember.id, { role: 'superuser' })).rejects.toMatchObject({
      status: 403,
    });
    expect((await accounts.updateUser(acmeAdmin, acmeMember.id, { role: 'admin' })).role).toBe('admin');
    await expect(accounts.createAccount(acmeAdmin, 'x')).rejects.toMatchObject({ status: 403 });
  });

  it('a role change or deactivation ends the user sessions', async () => {
    const { accounts, acmeAdmin, acmeMember, repos, clock } = await setup();
    await repos.sessions.create({
      idHash: 'h1',
      userId: acmeMember.id,
      accountId: acmeMember.accountId,
      createdAt: clock.now(),
      lastSeenAt: clock.now(),
      expiresAt: clock.now() + 1e6,
    });
    await accounts.updateUser(acmeAdmin, acmeMember.id, { role: 'admin' });
    expect(await repos.sessions.get('h1')).toBeUndefined();
  });

  it('emails are unique case-insensitively and validated', async () => {
    const { accounts, acmeAccount } = await setup();
    await expect(
      accounts.createUser('system', { accountId: acmeAccount.id, email: 'ADMIN@acme.test', password: strong }),
    ).rejects.toMatchObject({ code: 'DATA_CONFLICT' });
    await expect(
      accounts.createUser('system', { accountId: acmeAccount.id, email: 'not-an-email', password: strong }),
    ).rejects.toMatchObject({ code: 'EMAIL_INVALID' });
  });

  it('applies the password validators on creation and change', async () => {
    const { accounts, acmeAccount, acmeMember } = await setup();
    await expect(
      accounts.createUser('system', { accountId: acmeAccount.id, email: 'x@acme.test', password: 'password' }),
    ).rejects.toMatchObject({
      code: 'PASSWORD_INVALID',
      problems: expect.arrayContaining([expect.objectContaining({ code: 'password_too_common' })]),
    });
    await expect(accounts.changePassword(acmeMember, 'wrong', 'another strong phrase 9')).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
    });
    await expect(accounts.changePassword(acmeMember, strong, '123456789012')).rejects.toMatchObject({
      code: 'PASSWORD_INVALID',
    });
  });

  it('password change and reset end every session of the user', async () => {
    const { accounts, acmeMember, repos, tokens, hasher, clock, sink } = await setup();
    const session = (idHash: string) =>
      repos.sessions.create({
        idHash,
        userId: acmeMember.id,
        accountId: acmeMember.accountId,
        createdAt: clock.now(),
        lastSeenAt: clock.now(),
        expiresAt: clock.now() + 1e6,
      });
    await session('s1');
    await session('s2');
    const changed = await accounts.changePassword(acmeMember, strong, 'another strong phrase 9');
    expect(await repos.sessions.get('s1')).toBeUndefined();
    expect(await repos.sessions.get('s2')).toBeUndefined();
    expect((await hasher.verify('another strong phrase 9', changed.passwordHash ?? '')).ok).toBe(true);
    await session('s3');
    const token = await tokens.create('password-reset', changed);
    await expect(accounts.resetPassword(token, 'short')).rejects.toMatchObject({ code: 'PASSWORD_INVALID' });
    const reset = await accounts.resetPassword(token, 'a third strong phrase 7');
    expect(await repos.sessions.get('s3')).toBeUndefined();
    expect((await hasher.verify('a third strong phrase 7', reset.passwordHash ?? '')).ok).toBe(true);
    await expect(accounts.resetPassword(token, 'a fourth strong phrase 8')).rejects.toMatchObject({
      code: 'TOKEN_INVALID',
    });
    expect(sink.events.map((e) => e.type)).toEqual(expect.arrayContaining(['password.changed', 'password.reset']));
  });

  it('drops the OAuth links of a member promoted to admin, which an email match would never sign in', async () => {
    const { accounts, repos, acmeAdmin, acmeMember, globexMember } = await setup();
    await repos.oauthLinks.create({ provider: 'github', subject: 'gh-1', userId: acmeMember.id });
    await repos.oauthLinks.create({ provider: 'github', subject: 'gh-2', userId: globexMember.id });
    await accounts.updateUser(acmeAdmin, acmeMember.id, { active: true });
    expect(await repos.oauthLinks.listByUser(acmeMember.id)).toHaveLength(1);
    await accounts.updateUser(acmeAdmin, acmeMember.id, { role: 'admin' });
    expect(await repos.oauthLinks.listByUser(acmeMember.id)).toEqual([]);
    expect(await repos.oauthLinks.listByUser(globexMember.id)).toHaveLength(1);
  });

  it('voids emailed links when a user is deactivated, even after reactivation', async () => {
    const { accounts, tokens, acmeAdmin, acmeMember, clock, repos } = await setup();
    const link = await tokens.create('password-reset', acmeMember);
    await accounts.updateUser(acmeAdmin, acmeMember.id, { active: false });
    await accounts.updateUser(acmeAdmin, acmeMember.id, { active: true });
    await expect(accounts.resetPassword(link, 'a fresh strong phrase 12')).rejects.toMatchObject({
      code: 'TOKEN_INVALID',
    });
    // A link made after that works.
    clock.advance(1);
    const now = (await repos.users.getById(acmeMember.id)) ?? acmeMember;
    const fresh = await tokens.create('password-reset', now);
    expect((await tokens.check('password-reset', fresh))?.id).toBe(acmeMember.id);
  });

  it('self-registration is closed by default; when open, users activate by email first', async () => {
    const closed = await setup();
    await expect(closed.accounts.register({ email: 'new@x.test', accountName: 'X' })).rejects.toMatchObject({
      code: 'REGISTRATION_CLOSED',
    });
    const open = await setup('open');
    const user = await open.accounts.register({ email: 'new@x.test', accountName: 'X' });
    expect(user).toMatchObject({ active: false, emailVerified: false, role: 'admin', passwordHash: null });
    const token = await open.tokens.create('activation', user);
    // A refused password does not burn the link.
    await expect(open.accounts.activate(token, 'password')).rejects.toMatchObject({ code: 'PASSWORD_INVALID' });
    const active = await open.accounts.activate(token, strong);
    expect(active).toMatchObject({ active: true, emailVerified: true });
    expect(active.passwordHash).not.toBeNull();
    await expect(open.accounts.activate(token, strong)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('whoever registers an address first chooses no password the owner of the mailbox would then share', async () => {
    const open = await setup('open');
    // The attacker registers the victim's address; the register input has no password to choose.
    const input = { email: 'victim@x.test', accountName: 'Victim', password: strong };
    const pending = await open.accounts.register(input);
    expect(pending.passwordHash).toBeNull();
    // The victim opens the emailed link and chooses theirs; the only password the account has is the victim's.
    const token = await open.tokens.create('activation', pending);
    const active = await open.accounts.activate(token, 'the victim chose this one 7');
    const stored = active.passwordHash ?? '';
    expect((await open.hasher.verify(strong, stored)).ok).toBe(false);
    expect((await open.hasher.verify('the victim chose this one 7', stored)).ok).toBe(true);
  });

  it('emails reset links built from the configured base URL, and says nothing about unknown addresses', async () => {
    const { accounts, email, acmeMember } = await setup();
    await accounts.requestPasswordReset('nobody@acme.test');
    await accounts.requestPasswordReset('not an email');
    expect(email.sent).toEqual([]);
    await accounts.requestPasswordReset('MEMBER@acme.test');
    expect(email.sent).toHaveLength(1);
    expect(email.sent[0]?.to).toBe(acmeMember.email);
    const link = /https:\/\/app\.example\.com\/reset\?token=(\S+)/.exec(email.sent[0]?.text ?? '');
    expect(link).not.toBeNull();
    const reset = await accounts.resetPassword(decodeURIComponent(link?.[1] ?? ''), 'a new strong phrase 11');
    expect(reset.id).toBe(acmeMember.id);
  });

  it('registration emails an activation link that activates the user', async () => {
    const { accounts, email } = await setup('open');
    await accounts.register({ email: 'new@x.test', accountName: 'X' });
    const link = /https:\/\/app\.example\.com\/activate\?token=(\S+)/.exec(email.sent[0]?.text ?? '');
    expect((await accounts.activate(decodeURIComponent(link?.[1] ?? ''), strong)).active).toBe(true);
  });
});
