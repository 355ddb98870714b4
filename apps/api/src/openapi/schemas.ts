import { JOURNAL_EVENT_TYPES } from '@smarter/security';
import { z } from 'zod';

/**
 * Request and response schemas of the platform API and the agent hosts (SPEC §21). Requests are strict objects
 * (unknown fields are refused); the OpenAPI document is generated from these same schemas.
 */

/** An agent name: a DNS label, because it becomes the first label of the agent's hostname. */
export const agentName = z
  .string()
  .min(2)
  .max(63)
  .regex(/^[a-z](?:[a-z0-9-]*[a-z0-9])?$/)
  .describe('Lower-case DNS label: letters, digits and hyphens, starting with a letter.');

/** A serialized origin (`https://host[:port]`). */
export const origin = z
  .string()
  .max(255)
  .regex(/^https?:\/\/[a-z0-9.-]+(?::\d{1,5})?$/)
  .describe('Serialized origin, e.g. https://app.example.com');

/** Chat providers an agent may use. */
export const providerName = z.enum(['echo', 'openai']);

/** Key scopes (least privilege: a key gets only what it needs). */
export const KEY_SCOPES = [
  'agents:read',
  'agents:write',
  'chat',
  'keys:read',
  'keys:write',
  'secrets:read',
  'secrets:write',
  'uploads:read',
  'uploads:write',
  'journal:read',
  'users:read',
  'users:write',
] as const;
export const keyScope = z.enum(KEY_SCOPES);

const isoTime = z.iso.datetime({ offset: true });

export const agentCreateSchema = z.strictObject({
  name: agentName,
  description: z.string().max(500).optional(),
  provider: providerName.optional(),
  model: z.string().min(1).max(200).optional(),
  deployed: z.boolean().optional(),
  /** Chat on the agent's host needs an API key with the `chat` scope. @default true */
  requireKey: z.boolean().optional(),
  allowedOrigins: z.array(origin).max(20).optional(),
});

export const agentPatchSchema = z.strictObject({
  description: z.string().max(500).optional(),
  provider: providerName.optional(),
  model: z.string().min(1).max(200).optional(),
  deployed: z.boolean().optional(),
  requireKey: z.boolean().optional(),
  allowedOrigins: z.array(origin).max(20).optional(),
});

export const agentSchema = z.object({
  id: z.string(),
  name: agentName,
  description: z.string(),
  accountNumber: z.string(),
  hostname: z.string().describe('The host the agent answers on once deployed: <agent>.<account-number>.<api-domain>'),
  provider: providerName,
  model: z.string(),
  deployed: z.boolean(),
  requireKey: z.boolean(),
  allowedOrigins: z.array(origin),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const agentListSchema = z.object({ agents: z.array(agentSchema) });

/** `30d`, `12h` or `90m`; at most 1095 days (SPEC §12). */
export const duration = z
  .string()
  .regex(/^[1-9]\d{0,5}[mhd]$/)
  .refine((v) => durationMs(v) <= 1095 * 86_400_000, 'Must be at most 1095 days')
  .describe('Lifetime such as 30d, 12h or 90m (at most 1095d).');

/** Milliseconds of a {@link duration} string. */
export function durationMs(value: string): number {
  const n = Number(value.slice(0, -1));
  const unit = value.slice(-1);
  return n * (unit === 'd' ? 86_400_000 : unit === 'h' ? 3_600_000 : 60_000);
}

export const keyCreateSchema = z.strictObject({
  name: z.string().min(1).max(100),
  description: z.string().max(500).optional(),
  scopes: z.array(keyScope).max(KEY_SCOPES.length).optional(),
  expiresIn: duration.optional(),
  agents: z.array(agentName).max(50).optional().describe('Bind the key to these agents only.'),
});

export const keySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  scopes: z.array(keyScope),
  lastFour: z.string(),
  agents: z.array(agentName),
  createdAt: isoTime,
  expiresAt: isoTime,
  lastUsedAt: isoTime.nullable(),
  active: z.boolean(),
});

export const keyCreatedSchema = keySchema.extend({
  key: z.string().describe('The API key. Shown this once: store it now.'),
});

export const keyListSchema = z.object({ keys: z.array(keySchema) });

export const keyIdParam = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{4,64}$/) });
export const agentNameParam = z.strictObject({ name: agentName });

export const roleSchema = z.enum(['superuser', 'admin', 'member']);

export const meSchema = z.object({
  user: z.object({ id: z.string(), email: z.email(), role: roleSchema }),
  account: z.object({ id: z.string(), number: z.string(), name: z.string() }),
  auth: z.enum(['session', 'key']),
  scopes: z.array(keyScope),
});

export const userCreateSchema = z.strictObject({
  email: z.email().max(254),
  role: roleSchema.exclude(['superuser']).optional(),
});

export const userSchema = z.object({
  id: z.string(),
  email: z.email(),
  role: roleSchema,
  active: z.boolean(),
  createdAt: isoTime,
  lastLoginAt: isoTime.nullable(),
});

export const userCreatedSchema = userSchema.extend({
  invitation: z
    .enum(['sent', 'failed', 'unavailable'])
    .describe(
      'The set-your-password email: sent; failed (the user can still use "Forgot your password?"); unavailable (no email sender or SMARTER_PUBLIC_URL on this server).',
    ),
});

export const statusSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  database: z.object({ driver: z.string(), schema: z.string().nullable() }),
});

export const chatMessageSchema = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().min(1).max(32_000),
});

export const chatRequestSchema = z.strictObject({
  messages: z.array(chatMessageSchema).min(1).max(50),
  temperature: z.number().min(0).max(2).optional(),
});

export const chatResponseSchema = z.object({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.int(),
  model: z.string(),
  provider: z.string(),
  choices: z.array(
    z.object({
      index: z.int(),
      message: z.object({ role: z.literal('assistant'), content: z.string() }),
      finish_reason: z.string(),
    }),
  ),
  usage: z.object({ prompt_tokens: z.int(), completion_tokens: z.int(), total_tokens: z.int() }).optional(),
});

export const chatConfigSchema = z.object({
  agent: z.object({ name: agentName, description: z.string() }),
  provider: z.string(),
  model: z.string(),
  requireKey: z.boolean(),
  chatPath: z.literal('/api/v1/chat'),
  limits: z.object({ maxMessages: z.int(), maxContentLength: z.int() }),
});

export const secretName = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/);

export const secretCreateSchema = z.strictObject({
  name: secretName,
  value: z.string().min(1).max(4096),
  description: z.string().max(500).optional(),
  expiresAt: isoTime.optional(),
});

export const secretSchema = z.object({
  id: z.string(),
  name: secretName,
  description: z.string(),
  value: z.literal('***').describe('Secrets are never returned.'),
  createdAt: isoTime,
  updatedAt: isoTime,
  expiresAt: isoTime.nullable(),
});

export const journalQuerySchema = z.strictObject({
  type: z.enum(JOURNAL_EVENT_TYPES).optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
  principal: z
    .string()
    .regex(/^[A-Za-z0-9_:@.-]{1,100}$/)
    .optional(),
  limit: z
    .string()
    .regex(/^(?:[1-9]\d{0,2})$/)
    .optional()
    .describe('1 to 999; default 100'),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/)
    .optional(),
});

export const journalEventSchema = z.object({
  id: z.string(),
  time: isoTime,
  type: z.enum(JOURNAL_EVENT_TYPES),
  severity: z.enum(['debug', 'info', 'notice', 'warning', 'error', 'critical']),
  requestId: z.string().optional(),
  clientKey: z.string().optional(),
  principal: z.string().optional(),
  account: z.string().optional(),
  agent: z.string().optional(),
  method: z.string().optional(),
  path: z.string().optional(),
  status: z.int().optional(),
  reason: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const journalPageSchema = z.object({ events: z.array(journalEventSchema), nextCursor: z.string().nullable() });

export const uploadSchema = z.object({
  id: z.string(),
  name: z.string().describe('Sanitised original file name (metadata only).'),
  extension: z.string(),
  contentType: z.string(),
  size: z.int(),
  sha256: z.string(),
  createdAt: isoTime,
});

export const uploadListSchema = z.object({ uploads: z.array(uploadSchema) });

export const loginFormSchema = z.strictObject({
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(1024),
  csrfmiddlewaretoken: z.string().min(1).max(512),
  next: z.string().max(2048).optional(),
});

export const passwordChangeFormSchema = z.strictObject({
  current_password: z.string().min(1).max(1024),
  new_password: z.string().min(1).max(1024),
  new_password_confirm: z.string().min(1).max(1024),
  csrfmiddlewaretoken: z.string().min(1).max(512),
});

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  code: z.string(),
  detail: z.string().optional(),
  requestId: z.string().optional(),
});

export const validationProblemSchema = problemSchema.extend({
  errors: z.array(z.object({ path: z.string(), in: z.string(), code: z.string(), message: z.string() })),
});
