import { migrate } from '@smarter/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../testing/test-app.ts';

const PASSWORD = 'a long and unusual passphrase 42';

// Two additions an hour per account; the API's own limit stays out of the way.
const { app, db, services, events } = testApp({ SMARTER_INVITE_LIMIT: '2/3600', SMARTER_RATE_LIMIT: '1000/60' });

/** A user of `accountId` with a `users:write` key; returns the key. */
async function keyFor(accountId: string, email: string, role: 'admin' | 'member'): Promise<string> {
  const user = await services.accounts.createUser('system', { accountId, email, password: PASSWORD, role });
  return (await services.keys.issue(user, { name: 'k', scopes: ['users:write'] })).token;
}

function addUser(key: string, email: string): Promise<Response> {
  return Promise.resolve(
    app.request('http://localhost/api/v1/users', {
      method: 'POST',
      body: JSON.stringify({ email }),
      headers: { 'content-type': 'application/json', authorization: `Token ${key}` },
    }),
  );
}

let alpha = '';
let beta = '';

beforeAll(async () => {
  await migrate(db);
  alpha = (await services.accounts.createAccount('system', 'Alpha')).id;
  beta = (await services.accounts.createAccount('system', 'Beta')).id;
  await services.accounts.createUser('system', { accountId: beta, email: 'taken@b.example', password: PASSWORD });
});

describe('SMARTER_INVITE_LIMIT', () => {
  it('caps the users an account adds, whichever admin asks, and counts an address found taken', async () => {
    const ada = await keyFor(alpha, 'ada@a.example', 'admin');
    const ann = await keyFor(alpha, 'ann@a.example', 'admin');
    // A refused member is counted apart: it eats none of the admins' allowance.
    const mel = await keyFor(alpha, 'mel@a.example', 'member');
    expect((await addUser(mel, 'm1@a.example')).status).toBe(403);
    expect((await addUser(mel, 'm2@a.example')).status).toBe(403);
    expect((await addUser(mel, 'm3@a.example')).status).toBe(429);

    expect((await addUser(ada, 'one@a.example')).status).toBe(201);
    // Another account's address: a conflict, and an attempt all the same (probing addresses costs allowance).
    expect((await addUser(ann, 'taken@b.example')).status).toBe(409);
    const refused = await addUser(ann, 'two@a.example');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect(refused.headers.get('ratelimit-policy')).toBe('"invitations";q=2;w=3600');
    expect(await refused.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    // Nothing was created past the cap.
    expect(await services.repositories.users.getByEmail('two@a.example')).toBeUndefined();
    expect(events.some((e) => e.type === 'ratelimit.exceeded' && e.details?.['policy'] === 'invitations')).toBe(true);
  });

  it('leaves another account its own allowance', async () => {
    const bob = await keyFor(beta, 'bob@b.example', 'admin');
    expect((await addUser(bob, 'one@b.example')).status).toBe(201);
    expect((await addUser(bob, 'two@b.example')).status).toBe(201);
  });

  it('is off with off', async () => {
    const open = testApp({ SMARTER_INVITE_LIMIT: 'off' });
    await migrate(open.db);
    const account = (await open.services.accounts.createAccount('system', 'Open')).id;
    const admin = await open.services.accounts.createUser('system', {
      accountId: account,
      email: 'ida@o.example',
      password: PASSWORD,
      role: 'admin',
    });
    const key = (await open.services.keys.issue(admin, { name: 'k', scopes: ['users:write'] })).token;
    for (let i = 0; i < 25; i++) {
      const res = await open.app.request('http://localhost/api/v1/users', {
        method: 'POST',
        body: JSON.stringify({ email: `u${i}@o.example` }),
        headers: { 'content-type': 'application/json', authorization: `Token ${key}` },
      });
      expect(res.status).toBe(201);
    }
  });
});
