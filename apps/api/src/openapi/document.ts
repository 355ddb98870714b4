import { z } from 'zod';
import * as s from './schemas.ts';

/** One operation of the API, described from the same zod schemas the routes validate with. */
export interface ApiOperation {
  readonly method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI path template, e.g. `/api/v1/agents/{name}`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  /** Longer prose for the operation (what happens besides the answer). */
  readonly description?: string;
  readonly tag: 'platform' | 'agents' | 'keys' | 'users' | 'secrets' | 'uploads' | 'journal' | 'agent-host';
  /** Which credentials the operation takes. @default ['key', 'session'] */
  readonly auth?: readonly ('key' | 'session')[] | 'public';
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** Media type of the body. @default 'application/json' */
  readonly bodyType?: 'application/json' | 'multipart/form-data';
  /** Success status and schema (null for an empty body). */
  readonly success: readonly [number, z.ZodType | null];
}

const uploadBody = z.object({ file: z.array(z.string().describe('binary')).min(1) });

/** Every operation of the API (SPEC §21 names). */
export const API_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/status',
    operationId: 'getStatus',
    summary: 'Service status',
    tag: 'platform',
    auth: 'public',
    success: [200, s.statusSchema],
  },
  {
    method: 'get',
    path: '/api/v1/me',
    operationId: 'getMe',
    summary: 'The caller',
    tag: 'platform',
    success: [200, s.meSchema],
  },
  {
    method: 'get',
    path: '/api/v1/agents',
    operationId: 'listAgents',
    summary: 'List agents',
    tag: 'agents',
    success: [200, s.agentListSchema],
  },
  {
    method: 'post',
    path: '/api/v1/agents',
    operationId: 'createAgent',
    summary: 'Create an agent',
    tag: 'agents',
    body: s.agentCreateSchema,
    success: [201, s.agentSchema],
  },
  {
    method: 'get',
    path: '/api/v1/agents/{name}',
    operationId: 'getAgent',
    summary: 'Get an agent',
    tag: 'agents',
    params: s.agentNameParam,
    success: [200, s.agentSchema],
  },
  {
    method: 'patch',
    path: '/api/v1/agents/{name}',
    operationId: 'updateAgent',
    summary: 'Update an agent',
    tag: 'agents',
    params: s.agentNameParam,
    body: s.agentPatchSchema,
    success: [200, s.agentSchema],
  },
  {
    method: 'delete',
    path: '/api/v1/agents/{name}',
    operationId: 'deleteAgent',
    summary: 'Delete an agent',
    tag: 'agents',
    params: s.agentNameParam,
    success: [204, null],
  },
  {
    method: 'post',
    path: '/api/v1/agents/{name}/deploy',
    operationId: 'deployAgent',
    summary: 'Deploy an agent on its own host',
    tag: 'agents',
    params: s.agentNameParam,
    success: [200, s.agentSchema],
  },
  {
    method: 'get',
    path: '/api/v1/keys',
    operationId: 'listKeys',
    summary: 'List API keys',
    tag: 'keys',
    success: [200, s.keyListSchema],
  },
  {
    method: 'post',
    path: '/api/v1/keys',
    operationId: 'createKey',
    summary: 'Create an API key (shown once)',
    tag: 'keys',
    body: s.keyCreateSchema,
    success: [201, s.keyCreatedSchema],
  },
  {
    method: 'delete',
    path: '/api/v1/keys/{id}',
    operationId: 'revokeKey',
    summary: 'Revoke an API key, effective at once',
    tag: 'keys',
    params: s.keyIdParam,
    success: [204, null],
  },
  {
    method: 'post',
    path: '/api/v1/keys/{id}/rotate',
    operationId: 'rotateKey',
    summary: 'Rotate an API key',
    tag: 'keys',
    params: s.keyIdParam,
    success: [201, s.keyCreatedSchema],
  },
  {
    method: 'get',
    path: '/api/v1/users',
    operationId: 'listUsers',
    summary: 'Users of the account (admins)',
    tag: 'users',
    success: [200, z.object({ users: z.array(s.userSchema) })],
  },
  {
    method: 'post',
    path: '/api/v1/users',
    operationId: 'createUser',
    summary: 'Invite a user (admins)',
    description:
      'Creates the user without a password and emails them a one-time link (24 hours) to /activate, built on ' +
      'SMARTER_PUBLIC_URL, where they choose their password; then they sign in. `invitation` says whether the email ' +
      'went out. The link never appears in the answer, the log (outside development) or the journal.',
    tag: 'users',
    body: s.userCreateSchema,
    success: [201, s.userCreatedSchema],
  },
  {
    method: 'get',
    path: '/api/v1/secrets',
    operationId: 'listSecrets',
    summary: 'List secrets (masked)',
    tag: 'secrets',
    success: [200, z.object({ secrets: z.array(s.secretSchema) })],
  },
  {
    method: 'post',
    path: '/api/v1/secrets',
    operationId: 'createSecret',
    summary: 'Store a secret (encrypted at rest)',
    tag: 'secrets',
    body: s.secretCreateSchema,
    success: [201, s.secretSchema],
  },
  {
    method: 'get',
    path: '/api/v1/uploads',
    operationId: 'listUploads',
    summary: 'List uploads',
    tag: 'uploads',
    success: [200, s.uploadListSchema],
  },
  {
    method: 'post',
    path: '/api/v1/uploads',
    operationId: 'createUpload',
    summary: 'Upload knowledge files',
    tag: 'uploads',
    body: uploadBody,
    bodyType: 'multipart/form-data',
    success: [201, s.uploadListSchema],
  },
  {
    method: 'get',
    path: '/api/v1/uploads/{id}',
    operationId: 'downloadUpload',
    summary: 'Download an upload (attachment)',
    tag: 'uploads',
    params: s.keyIdParam,
    success: [200, null],
  },
  {
    method: 'get',
    path: '/api/v1/journal',
    operationId: 'queryJournal',
    summary: 'Query the journal (admins)',
    tag: 'journal',
    query: s.journalQuerySchema,
    success: [200, s.journalPageSchema],
  },
  {
    method: 'get',
    path: '/api/v1/config',
    operationId: 'getChatConfig',
    summary: 'Chat configuration (agent host; needs a key with the chat scope unless the agent is public)',
    tag: 'agent-host',
    auth: ['key'],
    success: [200, s.chatConfigSchema],
  },
  {
    method: 'post',
    path: '/api/v1/chat',
    operationId: 'chat',
    summary: 'Chat with the agent (agent host; needs a key with the chat scope unless the agent is public)',
    tag: 'agent-host',
    auth: ['key'],
    body: s.chatRequestSchema,
    success: [200, s.chatResponseSchema],
  },
];

const PROBLEM = 'application/problem+json';

type JsonSchema = Record<string, unknown>;

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  delete json['$schema'];
  return json;
}

function parameters(schema: z.ZodObject | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input');
  const props = (json['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json['required'] ?? []) as string[]);
  return Object.entries(props).map(([name, prop]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: prop,
  }));
}

function problemRef(description: string, validation = false) {
  return {
    description,
    content: {
      [PROBLEM]: { schema: { $ref: `#/components/schemas/${validation ? 'ValidationProblem' : 'Problem'}` } },
    },
  };
}

/** Options of {@link buildOpenApiDocument}. */
export interface OpenApiDocumentOptions {
  /** Platform base URL shown under `servers`. @default 'http://127.0.0.1:8787' */
  readonly serverUrl?: string;
  /** Parent of agent hostnames, for the templated agent server. */
  readonly apiDomain?: string | undefined;
  /** API version. @default '0.1.0' */
  readonly version?: string;
}

/**
 * The OpenAPI 3.1 document of the API, generated from the zod schemas the routes validate with.
 *
 * @example
 * app.get('/api/v1/openapi.json', (c) => c.json(buildOpenApiDocument({ apiDomain: config.apiDomain })));
 */
export function buildOpenApiDocument(options: OpenApiDocumentOptions = {}): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of API_OPERATIONS) {
    const [status, schema] = op.success;
    const auth = op.auth ?? ['key', 'session'];
    const responses: Record<string, unknown> = {
      [String(status)]: schema
        ? { description: 'Success', content: { 'application/json': { schema: toSchema(schema, 'output') } } }
        : { description: status === 204 ? 'Done' : 'The file, as an attachment' },
      default: problemRef('Error (RFC 9457 problem details)'),
    };
    if (op.body || op.query || op.params) responses['400'] = problemRef('Invalid input, with field paths', true);
    if (auth !== 'public') responses['401'] = problemRef('Missing or invalid credentials');
    const operation: Record<string, unknown> = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [op.tag],
      parameters: [...parameters(op.params, 'path'), ...parameters(op.query, 'query')],
      responses,
      security: auth === 'public' ? [] : auth.map((a) => (a === 'key' ? { apiKey: [] } : { session: [] })),
    };
    if (op.body) {
      operation['requestBody'] = {
        required: true,
        content: { [op.bodyType ?? 'application/json']: { schema: toSchema(op.body, 'input') } },
      };
    }
    paths[op.path] ??= {};
    (paths[op.path] as Record<string, unknown>)[op.method] = operation;
  }
  const servers: JsonSchema[] = [{ url: options.serverUrl ?? 'http://127.0.0.1:8787', description: 'Platform host' }];
  if (options.apiDomain) {
    servers.push({
      url: `https://{agent}.{account}.${options.apiDomain}`,
      description: 'An agent host (chat and config)',
      variables: { agent: { default: 'my-agent' }, account: { default: '1234-5678-9012' } },
    });
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Smarter API',
      version: options.version ?? '0.1.0',
      description: 'Platform API and agent hosts of the Smarter reference server. Errors are RFC 9457 problem+json.',
    },
    servers,
    tags: [...new Set(API_OPERATIONS.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        apiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'An API key as "Token <key>" or "Bearer <key>".',
        },
        session: { type: 'apiKey', in: 'cookie', name: 'session', description: 'Workbench session (with CSRF token).' },
      },
      schemas: {
        Problem: toSchema(s.problemSchema, 'output'),
        ValidationProblem: toSchema(s.validationProblemSchema, 'output'),
      },
    },
  };
}
