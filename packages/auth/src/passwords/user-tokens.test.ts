import { describe, expect, it } from 'vitest';
import { seedUser, world } from '../testing-node/fixtures.ts';
import { createUserTokens, userTokenLink } from './user-tokens.ts';

async function setup() {
  const w = world();
  const tokens = createUserTokens({ keyRing: w.ring, repositories: w.repos, store: w.store, now: w.clock.now });
  const { user } = await seedUser(w.repos, 'alice@example.com');
  return { ...w, tokens, user };
}

describe('reset and activation tokens', () => {
  it('are single use', async () => {
    const { tokens, user } = await setup();
    const token = await tokens.create('password-reset', user);
    expect((await tokens.check('password-reset', token))?.id).toBe(user.id);
    expect((await tokens.consume('password-reset', token))?.id).toBe(user.id);
    expect(await tokens.consume('password-reset', token)).toBeUndefined();
  });

  it('expire after 24 hours', async () => {
    const { tokens, user, clock } = await setup();
    const token = await tokens.create('password-reset', user);
    clock.advance(86_399_999);
    expect(await tokens.check('password-reset', token)).toBeDefined();
    clock.advance(1);
    expect(await tokens.check('password-reset', token)).toBeUndefined();
  });

  it('are bound to the user state and the purpose', async () => {
    const { tokens, user, repos } = await setup();
    const reset = await tokens.create('password-reset', user);
    expect(await tokens.check('activation', reset)).toBeUndefined();
    await repos.users.update(user.id, { lastLoginAt: 123 });
    expect(await tokens.check('password-reset', reset)).toBeUndefined();
  });

  it('refuse tampering', async () => {
    const { tokens, user } = await setup();
    const token = await tokens.create('activation', user);
    const [uid, ts, kid, mac] = token.split('.');
    expect(await tokens.check('activation', [uid, ts, kid, `${mac?.slice(0, -2)}AA`].join('.'))).toBeUndefined();
    expect(
      await tokens.check('activation', [uid, (Number.parseInt(ts ?? '', 36) + 1000).toString(36), kid, mac].join('.')),
    ).toBeUndefined();
    expect(await tokens.check('activation', 'a.b.c')).toBeUndefined();
  });

  it('builds links from the configured base URL only', () => {
    expect(userTokenLink('https://app.example.com', '/reset', 'abc.def')).toBe(
      'https://app.example.com/reset?token=abc.def',
    );
    expect(() => userTokenLink('http://app.example.com', '/reset', 't')).toThrow(/https/);
  });
});
