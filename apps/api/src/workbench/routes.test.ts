import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { echoProvider } from '../providers/echo.ts';
import type { WorkbenchPorts, WorkbenchSessionUser } from './ports.ts';
import { safeNext, workbenchRoutes } from './routes.tsx';
import { SAMPLE_AGENTS, SAMPLE_EVENTS, SAMPLE_KEYS } from './sample-data.ts';
import type { AgentView } from './types.ts';

const ADA: WorkbenchSessionUser = {
  id: 'u1',
  accountId: 'a1',
  email: 'ada@example.com',
  role: 'admin',
  accountName: 'Acme',
  accountNumber: '4821-0937-5561',
};

function fakePorts(role: WorkbenchSessionUser['role'] = 'admin') {
  const calls: string[] = [];
  const agents = new Map<string, AgentView>(SAMPLE_AGENTS.map((a) => [a.name, a]));
  let signedIn = false;
  const ports: WorkbenchPorts = {
    currentUser: async (c) => (signedIn || c.req.header('cookie') === 'session=ok' ? { ...ADA, role } : undefined),
    requestTokens: () => ({ nonce: 'n0nce', csrfToken: 'tok3n' }),
    login: async (_, email, password) => {
      calls.push(`login:${email}`);
      if (email === 'locked@example.com') return { ok: false, code: 'LOGIN_THROTTLED', retryAfterSeconds: 840 };
      signedIn = email === 'ada@example.com' && password === 'right password';
      return signedIn ? { ok: true } : { ok: false, code: 'INVALID_CREDENTIALS' };
    },
    logout: async () => {
      calls.push('logout');
      signedIn = false;
    },
    changePassword: async (_, __, current, next) => {
      calls.push(`password:${current}->${next}`);
      return next === 'password' ? { ok: false, errors: ['This password is too common.'] } : { ok: true };
    },
    agents: {
      list: async () => [...agents.values()],
      get: async (_, name) => agents.get(name),
      create: async (_, input) => {
        calls.push(`agent:${input.name}:${input.provider}:${input.deployed}`);
        if (agents.has(input.name)) return undefined;
        const agent = { ...SAMPLE_AGENTS[2], ...input, hostname: `${input.name}.h` } as AgentView;
        agents.set(input.name, agent);
        return agent;
      },
      setDeployed: async (_, name, deployed) => {
        calls.push(`deploy:${name}:${deployed}`);
        return agents.has(name);
      },
      delete: async (_, name) => {
        calls.push(`delete:${name}`);
        return agents.delete(name);
      },
    },
    keys: {
      list: async () => SAMPLE_KEYS,
      create: async (_, input) => {
        calls.push(`key:${input.name}:${input.scopes.join('+')}:${input.expiresIn}`);
        return { name: input.name, key: 'smarter_SHOWN_ONCE_0123456789' };
      },
      revoke: async (_, id) => {
        calls.push(`revoke:${id}`);
        return id === 'k_7Hq2';
      },
    },
    journal: { query: async () => ({ events: SAMPLE_EVENTS, nextCursor: undefined }) },
    chatProvider: async (_, name) => (agents.has(name) ? echoProvider() : undefined),
    oauthProviders: [{ id: 'github', label: 'Continue with GitHub', href: '/auth/oauth/github' }],
  };
  const app = new Hono().route('/', workbenchRoutes({ ports, apiDomain: 'api.example.com' }));
  const post = (path: string, fields: Record<string, string | string[]>, signed = true) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
    body.append('csrfmiddlewaretoken', 'tok3n');
    return app.request(path, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signed ? { cookie: 'session=ok' } : {}) },
    });
  };
  const get = (path: string, signed = true) => app.request(path, signed ? { headers: { cookie: 'session=ok' } } : {});
  return { app, calls, post, get };
}

describe('safeNext', () => {
  it('keeps local paths only', () => {
    expect(safeNext('/keys')).toBe('/keys');
    expect(safeNext('/agents/x?done=created')).toBe('/agents/x?done=created');
    for (const bad of [
      '//evil.example',
      '/\\evil.example',
      'https://evil.example',
      'javascript:alert(1)',
      '',
      undefined,
    ]) {
      expect(safeNext(bad)).toBe('/');
    }
  });
});

describe('workbenchRoutes', () => {
  it('shows the login page to anonymous visitors and the dashboard to users', async () => {
    const { get } = fakePorts();
    const anonymous = await (await get('/', false)).text();
    expect(anonymous).toContain('action="/login"');
    expect(anonymous).toContain('name="csrfmiddlewaretoken" value="tok3n"');
    expect(anonymous).not.toContain('support-bot');
    const res = await get('/');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const page = await res.text();
    expect(page).toContain('support-bot');
    expect(page).toContain('nonce="n0nce"');
  });

  it('logs in with one uniform failure, and redirects only to local paths', async () => {
    const { post, calls } = fakePorts();
    const bad = await post('/login', { email: 'ada@example.com', password: 'wrong', next: '/keys' }, false);
    expect(bad.status).toBe(401);
    const text = await bad.text();
    expect(text).toContain('Those credentials are not valid.');
    expect(text).not.toContain('wrong');
    const good = await post(
      '/login',
      { email: 'ada@example.com', password: 'right password', next: '//evil.example' },
      false,
    );
    expect(good.status).toBe(303);
    expect(good.headers.get('location')).toBe('/');
    expect(calls).toEqual(['login:ada@example.com', 'login:ada@example.com']);
    const out = await post('/logout', {});
    expect(out.headers.get('location')).toBe('/');
    expect(calls.at(-1)).toBe('logout');
  });

  it('answers a throttled login 429 with Retry-After, and a plain failure 401 without it', async () => {
    const { post } = fakePorts();
    const locked = await post('/login', { email: 'locked@example.com', password: 'whatever' }, false);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('840');
    expect(locked.headers.get('cache-control')).toBe('private, no-store');
    const text = await locked.text();
    expect(text).toContain('Too many failed sign-ins. Try again later.');
    expect(text).toContain('action="/login"');
    const bad = await post('/login', { email: 'ada@example.com', password: 'wrong' }, false);
    expect(bad.status).toBe(401);
    expect(bad.headers.get('retry-after')).toBeNull();
  });

  it('creates, deploys and deletes agents through the ports', async () => {
    const { post, get, calls } = fakePorts();
    const created = await post('/agents', { name: 'new-bot', provider: 'echo', deployed: 'true' });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toBe('/agents/new-bot?done=created');
    expect(await (await get('/agents/new-bot?done=created')).text()).toContain('Agent created.');
    const taken = await post('/agents', { name: 'support-bot' });
    expect(taken.headers.get('location')).toBe('/?done=taken');
    const invalid = await post('/agents', { name: 'Bad Name!' });
    expect(invalid.headers.get('location')).toBe('/?done=invalid');
    expect((await post('/agents/new-bot/deploy', { deployed: 'false' })).headers.get('location')).toBe(
      '/agents/new-bot?done=undeployed',
    );
    expect((await post('/agents/new-bot/delete', {})).headers.get('location')).toBe('/?done=deleted');
    expect((await get('/agents/new-bot')).status).toBe(404);
    expect(calls).toEqual([
      'agent:new-bot:echo:true',
      'agent:support-bot:echo:false',
      'deploy:new-bot:false',
      'delete:new-bot',
    ]);
  });

  it('shows a created key once, in the response body and never in a URL', async () => {
    const { post, get, calls } = fakePorts();
    const res = await post('/keys', { name: 'ci', scopes: ['chat', 'agents:read'], expiresIn: '90d' });
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('smarter_SHOWN_ONCE_0123456789');
    expect(await (await get('/keys')).text()).not.toContain('smarter_SHOWN_ONCE');
    expect(calls).toEqual(['key:ci:chat+agents:read:90d']);
    const bad = await post('/keys', { name: 'ci', scopes: 'root' });
    expect(bad.status).toBe(400);
    expect(calls).toHaveLength(1);
    expect((await post('/keys/k_7Hq2/revoke', {})).headers.get('location')).toBe('/keys?done=revoked');
    expect((await post('/keys/unknown-id/revoke', {})).status).toBe(404);
  });

  it('sends anonymous form posts to the login page without touching the ports', async () => {
    const { post, calls } = fakePorts();
    for (const path of ['/agents', '/keys', '/keys/k_7Hq2/revoke', '/account/password']) {
      const res = await post(path, { name: 'x' }, false);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/?next=${encodeURIComponent(path)}`);
    }
    expect(calls).toEqual([]);
  });

  it('shows the journal to admins only', async () => {
    const admin = fakePorts('admin');
    const page = await admin.get('/journal?type=not-a-type&principal=%3Cscript%3E');
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('scanner.banned');
    expect(text).not.toContain('<script>');
    expect((await fakePorts('member').get('/journal')).status).toBe(404);
  });

  it('answers the agent page chat box with the agent provider (JSON, validated)', async () => {
    const { app } = fakePorts();
    const chat = (agent: string, body: unknown, cookie = 'session=ok') =>
      app.request(`/agents/${agent}/chat`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', cookie },
      });
    const ok = await chat('support-bot', { messages: [{ role: 'user', content: 'Hi' }] });
    expect(ok.status).toBe(200);
    expect((await ok.json()).choices[0].message.content).toBe('Echo: Hi');
    expect((await chat('no-such-agent', { messages: [{ role: 'user', content: 'Hi' }] })).status).toBe(404);
    expect((await chat('support-bot', { messages: [] })).status).toBe(400);
    expect((await chat('support-bot', { messages: [{ role: 'user', content: 'Hi' }] }, '')).status).toBe(401);
  });

  it('changes the password, refusing mismatches before calling the port', async () => {
    const { post, calls } = fakePorts();
    const mismatch = await post('/account/password', {
      current_password: 'a',
      new_password: 'b',
      new_password_confirm: 'c',
    });
    expect(mismatch.status).toBe(400);
    expect(calls).toEqual([]);
    const weak = await post('/account/password', {
      current_password: 'old',
      new_password: 'password',
      new_password_confirm: 'password',
    });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain('This password is too common.');
    const ok = await post('/account/password', {
      current_password: 'old',
      new_password: 'a long new passphrase',
      new_password_confirm: 'a long new passphrase',
    });
    expect(ok.headers.get('location')).toBe('/account/password?done=password');
  });
});
