import { z } from 'zod';
import { agentName, duration, KEY_SCOPES, origin, providerName, secretName } from '../openapi/schemas.ts';

/** The only manifest API version understood. */
export const MANIFEST_API_VERSION = 'smarter.sh/v1';

/** Manifest kinds understood by `smarter apply`. */
export const MANIFEST_KINDS = ['User', 'SmarterAuthToken', 'LLMClient', 'Secret'] as const;
export type ManifestKind = (typeof MANIFEST_KINDS)[number];

const metadata = <T extends z.ZodType<string>>(name: T) =>
  z.strictObject({
    name,
    description: z.string().max(500).optional(),
    version: z.string().max(50).optional(),
    tags: z.array(z.string().max(50)).max(20).optional(),
    annotations: z
      .array(z.record(z.string().max(100), z.string().max(500)))
      .max(20)
      .optional(),
  });

const slug = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);

const envelope = <K extends ManifestKind, M extends z.ZodType, S extends z.ZodType>(kind: K, meta: M, spec: S) =>
  z.strictObject({ apiVersion: z.literal(MANIFEST_API_VERSION), kind: z.literal(kind), metadata: meta, spec });

/** `kind: User` — a user of the account. */
export const userManifest = envelope(
  'User',
  metadata(slug),
  z.strictObject({
    config: z.strictObject({
      email: z.email().max(254),
      firstName: z.string().max(100).optional(),
      lastName: z.string().max(100).optional(),
      role: z.enum(['admin', 'member']).default('member'),
      isActive: z.boolean().default(true),
    }),
  }),
);

/** `kind: SmarterAuthToken` — an API key of a user (created once; the key is printed once). */
export const tokenManifest = envelope(
  'SmarterAuthToken',
  metadata(z.string().min(1).max(100)),
  z.strictObject({
    config: z.strictObject({
      user: z.email().max(254).describe('Owner of the key (email).'),
      description: z.string().max(500).optional(),
      scopes: z.array(z.enum(KEY_SCOPES)).max(KEY_SCOPES.length).default([]),
      expiresIn: duration.default('365d'),
      agents: z.array(agentName).max(50).default([]),
      isActive: z.boolean().default(true),
    }),
  }),
);

/** `kind: LLMClient` — an agent (Smarter's chatbot), deployed on its own host. */
export const llmClientManifest = envelope(
  'LLMClient',
  metadata(agentName),
  z.strictObject({
    config: z.strictObject({
      provider: providerName.default('echo'),
      model: z.string().min(1).max(200).optional(),
      deployed: z.boolean().default(false),
      requireKey: z.boolean().default(true),
      allowedOrigins: z.array(origin).max(20).default([]),
      apiKeySecret: secretName.optional().describe('Name of the Secret that holds the provider key.'),
    }),
  }),
);

/** `kind: Secret` — a value stored encrypted (for example a provider key). */
export const secretManifest = envelope(
  'Secret',
  metadata(secretName),
  z.strictObject({
    config: z
      .strictObject({
        value: z.string().min(1).max(4096).optional(),
        valueFromEnv: z
          .string()
          .regex(/^[A-Z][A-Z0-9_]{0,63}$/)
          .optional()
          .describe('Read the value from this environment variable instead of the file.'),
        expiresAt: z.iso.datetime({ offset: true }).optional(),
      })
      .refine((c) => (c.value === undefined) !== (c.valueFromEnv === undefined), {
        message: 'Give exactly one of value or valueFromEnv',
      }),
  }),
);

/** Any manifest, discriminated by `kind`. */
export const manifestSchema = z.discriminatedUnion('kind', [
  userManifest,
  tokenManifest,
  llmClientManifest,
  secretManifest,
]);

export type UserManifest = z.infer<typeof userManifest>;
export type TokenManifest = z.infer<typeof tokenManifest>;
export type LLMClientManifest = z.infer<typeof llmClientManifest>;
export type SecretManifest = z.infer<typeof secretManifest>;
export type Manifest = z.infer<typeof manifestSchema>;
