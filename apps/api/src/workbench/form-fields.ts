import type { Context } from 'hono';

/**
 * The text fields of a posted form (urlencoded or multipart), without the CSRF field and files; an empty object for
 * any other body, so a JSON post fails the form's validation instead of being parsed as one.
 */
export async function formFields(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(?:application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return {};
  const body = await c.req.parseBody({ all: true });
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === 'csrfmiddlewaretoken' || v instanceof File) continue;
    out[k] = Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : v;
  }
  return out;
}
