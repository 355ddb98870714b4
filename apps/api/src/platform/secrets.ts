import { canAdministerAccount, requireScopes } from '@smarter/auth';
import type { SecretRecord } from '@smarter/data';
import { SmarterError } from '@smarter/security';
import { Hono } from 'hono';
import { secretCreateSchema } from '../openapi/schemas.ts';
import { validate } from '../openapi/validator.ts';
import type { AppEnv } from '../services.ts';
import { currentUser, forbiddenError, iso, requestIdOf, servicesOf } from './context.ts';

function secretView(secret: SecretRecord): Record<string, unknown> {
  return {
    id: secret.id,
    name: secret.name,
    description: '',
    value: '***',
    createdAt: iso(secret.createdAt),
    updatedAt: iso(secret.updatedAt),
    expiresAt: iso(secret.expiresAt),
  };
}

/** `GET|POST /secrets` (masked; AES-256-GCM at rest through the key ring; mount under `/api/v1`). */
export function secretRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/secrets', requireScopes('secrets:read'), async function listSecrets(c) {
    const user = await currentUser(c);
    const secrets = await servicesOf(c).repositories.secrets.listByAccount(user.accountId);
    c.header('cache-control', 'no-store');
    return c.json({ secrets: secrets.map(secretView) });
  });

  app.post(
    '/secrets',
    requireScopes('secrets:write'),
    validate('json', secretCreateSchema),
    async function createSecret(c) {
      const user = await currentUser(c);
      if (!canAdministerAccount(user, user.accountId)) throw forbiddenError();
      const services = servicesOf(c);
      const body = c.req.valid('json');
      if (await services.repositories.secrets.getByName(user.accountId, body.name)) {
        throw new SmarterError('SECRET_EXISTS', 'A secret with this name already exists', { status: 409 });
      }
      const expiresAt = body.expiresAt ? Date.parse(body.expiresAt) : null;
      const ciphertext = await services.secrets.encrypt(body.value, expiresAt ? { expiresAt } : {});
      const secret = await services.repositories.secrets.create({
        accountId: user.accountId,
        ownerId: user.id,
        name: body.name,
        ciphertext,
        keyId: services.keyRing.ids[0] ?? 'default',
        expiresAt,
      });
      services.journal.emit({
        type: 'secret.rotated',
        severity: 'notice',
        principal: user.id,
        account: user.accountId,
        reason: 'CREATED',
        requestId: requestIdOf(c),
      });
      c.header('cache-control', 'no-store');
      return c.json(secretView(secret), 201);
    },
  );

  return app;
}
