import { problemResponse, SmarterError } from '@smarter/security';
import { Hono } from 'hono';
import { z } from 'zod';
import { validate } from '../openapi/validator.ts';
import type { AppEnv, AppServices } from '../services.ts';
import { requestIdOf } from './context.ts';

const bootstrapSchema = z.strictObject({ email: z.email().max(254), password: z.string().min(1).max(128) });

async function sameSecret(a: string, b: string): Promise<boolean> {
  // Compare digests so the comparison time does not depend on where the strings differ.
  const enc = new TextEncoder();
  const [x, y] = await Promise.all([
    crypto.subtle.digest('SHA-256', enc.encode(a)),
    crypto.subtle.digest('SHA-256', enc.encode(b)),
  ]);
  const u = new Uint8Array(x);
  const v = new Uint8Array(y);
  let diff = 0;
  for (let i = 0; i < u.length; i++) diff |= (u[i] as number) ^ (v[i] as number);
  return diff === 0;
}

/**
 * `POST /bootstrap` — test-only: with `Authorization: Bootstrap <SMARTER_BOOTSTRAP_TOKEN>` creates the first
 * superuser and answers a first 24-hour key for it (the conformance suites run on workerd/D1, where there is no CLI). Absent (404) unless
 * `SMARTER_ENV=test` and the token is configured; refused (409) when a user with the email exists.
 */
export function bootstrapRoutes(services: AppServices): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const token = services.config.bootstrapToken;
  if (!token || services.config.env !== 'test') return app;
  app.post('/bootstrap', validate('json', bootstrapSchema), async function bootstrap(c) {
    const given = /^Bootstrap[ \t]+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (!given || !(await sameSecret(given, token.reveal()))) {
      return problemResponse(
        { status: 401, code: 'UNAUTHENTICATED', title: 'Authentication required', requestId: requestIdOf(c) },
        { 'cache-control': 'no-store' },
      );
    }
    const body = c.req.valid('json');
    if (await services.repositories.users.getByEmail(body.email)) {
      throw new SmarterError('USER_EXISTS', 'A user with this email already exists', { status: 409 });
    }
    // The email stays unverified: nothing here proved the address, and OAuth trusts only verified ones (SPEC §15).
    const account = await services.accounts.createAccount('system', 'Default');
    const user = await services.accounts.createUser('system', {
      accountId: account.id,
      email: body.email,
      password: body.password,
      role: 'superuser',
      active: true,
    });
    // A first key for the new superuser, so a runtime without a CLI (workerd) can drive the API at once.
    const issued = await services.keys.issue(user, { name: 'bootstrap', scopes: ['*'], expiresInMs: 86_400_000 });
    c.header('cache-control', 'no-store');
    return c.json(
      {
        id: user.id,
        email: user.email,
        role: user.role,
        account: { id: account.id, number: account.number },
        key: issued.token,
      },
      201,
    );
  });
  return app;
}
