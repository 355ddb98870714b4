import { zValidator } from '@hono/zod-validator';
import { PROBLEM_CONTENT_TYPE, problemBody, requestIdOf } from '@smarter/security';
import type { MiddlewareHandler, ValidationTargets } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { z } from 'zod';

/** One invalid field: where, which rule, and a fixed message that never repeats the input. */
export interface FieldError {
  /** Dotted path inside the target, e.g. `messages.0.content`; empty for the whole target. */
  readonly path: string;
  /** Where the field is: `body`, `query`, `path`, `header`, `form`, `cookie`. */
  readonly in: string;
  /** The zod issue code (`invalid_type`, `too_big`, …). */
  readonly code: string;
  readonly message: string;
}

const WHERE: Readonly<Record<string, string>> = {
  json: 'body',
  form: 'form',
  query: 'query',
  param: 'path',
  header: 'header',
  cookie: 'cookie',
};

const MAX_ERRORS = 20;

type Issue = z.core.$ZodIssue;

function unit(origin: unknown): string {
  if (origin === 'string') return ' characters';
  if (origin === 'array' || origin === 'set') return ' items';
  if (origin === 'file') return ' bytes';
  return '';
}

/** A fixed message per issue code, built from the schema only (limits, formats, allowed values), never the input. */
function messageFor(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `Expected ${issue.expected}`;
    case 'too_small':
      return `Must be at least ${String(issue.minimum)}${unit(issue.origin)}`;
    case 'too_big':
      return `Must be at most ${String(issue.maximum)}${unit(issue.origin)}`;
    case 'invalid_format':
      return issue.format === 'regex' ? 'Has an invalid format' : `Must be a valid ${issue.format}`;
    case 'invalid_value':
      return `Must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `Has ${issue.keys.length} unknown field${issue.keys.length === 1 ? '' : 's'}`;
    case 'not_multiple_of':
      return `Must be a multiple of ${String(issue.divisor)}`;
    case 'custom':
      // Custom issues come from our own refinements, whose messages are fixed text.
      return issue.message;
    default:
      return 'Is invalid';
  }
}

/** Maps zod issues to {@link FieldError}s (at most 20). */
export function fieldErrors(issues: readonly Issue[], target: string): FieldError[] {
  return issues.slice(0, MAX_ERRORS).map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'symbol' ? '?' : String(p))).join('.'),
    in: WHERE[target] ?? target,
    code: issue.code,
    message: messageFor(issue),
  }));
}

/** The 400 problem+json answer for invalid input, with field paths and no echo of the input. */
export function validationProblem(errors: readonly FieldError[], requestId?: string): Response {
  const body = {
    ...problemBody({
      status: 400,
      code: 'VALIDATION_FAILED',
      title: 'The request is invalid',
      detail: 'See errors for each field to fix.',
      requestId,
    }),
    errors,
  };
  return new Response(JSON.stringify(body), { status: 400, headers: { 'content-type': PROBLEM_CONTENT_TYPE } });
}

function simpleProblem(status: number, code: string, title: string, requestId?: string): Response {
  return new Response(JSON.stringify(problemBody({ status, code, title, requestId })), {
    status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE },
  });
}

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * Validates one part of the request with a zod schema (through `@hono/zod-validator`). Failures answer 400
 * problem+json `VALIDATION_FAILED` with field paths; a `json` target also answers 415 `UNSUPPORTED_MEDIA_TYPE`
 * for another content type and 400 `INVALID_JSON` for malformed JSON. The input is never echoed.
 *
 * @example
 * app.post('/agents', validate('json', agentCreateSchema), (c) => c.json(c.req.valid('json'), 201));
 */
export function validate<Target extends keyof ValidationTargets, T extends z.ZodType>(target: Target, schema: T) {
  const inner = zValidator(target, schema, (result, c) => {
    return result.success ? undefined : validationProblem(fieldErrors(result.error.issues, target), requestIdOf(c));
  });
  const wrapped: MiddlewareHandler = async function validateRequest(c, next) {
    if (target === 'json' && !JSON_TYPE.test(c.req.header('content-type') ?? '')) {
      return simpleProblem(415, 'UNSUPPORTED_MEDIA_TYPE', 'The request body must be application/json', requestIdOf(c));
    }
    let passed = false;
    try {
      return await inner(c, async () => {
        passed = true;
        await next();
      });
    } catch (error) {
      // Only the validator's own parse failures are answered here; errors from later handlers go on to onError.
      if (!passed && error instanceof HTTPException && error.status === 400) {
        return target === 'json'
          ? simpleProblem(400, 'INVALID_JSON', 'The request body is not valid JSON', requestIdOf(c))
          : simpleProblem(400, 'INVALID_BODY', 'The request body could not be read', requestIdOf(c));
      }
      throw error;
    }
  };
  return wrapped as typeof inner;
}
