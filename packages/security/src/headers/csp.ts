import { SmarterConfigError } from '../errors/smarter-error.ts';

/** Placeholder replaced by the per-request nonce in a CSP template. */
export const NONCE = "'nonce'";

/** CSP directives by name; each value is a list of source expressions. Use {@link NONCE} for the request's nonce. */
export type CspDirectives = Readonly<Record<string, readonly string[]>>;

const DIRECTIVE = /^[a-z][a-z-]*$/;
const UNSAFE_VALUE = /[;,\r\n]/;
const SCRIPT_DIRECTIVES = new Set(['script-src', 'script-src-elem', 'script-src-attr', 'default-src']);

/** The HTML profile (SPEC §7): nonce-only scripts, no plugins, no base, forms to self, never framed. */
export const HTML_CSP: CspDirectives = {
  'default-src': ["'self'"],
  'script-src': [NONCE, "'strict-dynamic'"],
  'style-src': ["'self'", NONCE],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** The API profile (SPEC §7): nothing may load, nothing may frame. */
export const API_CSP: CspDirectives = {
  'default-src': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/** Merges `overrides` over `base` (a directive given replaces the base one; an empty list removes it). */
export function mergeCsp(base: CspDirectives, overrides: CspDirectives | undefined): CspDirectives {
  if (!overrides) return base;
  const merged: Record<string, readonly string[]> = { ...base };
  for (const [name, values] of Object.entries(overrides)) {
    if (values.length === 0) delete merged[name];
    else merged[name] = values;
  }
  return merged;
}

/**
 * Validates directives and serialises them as a template split around the nonce: join the parts with the nonce.
 * Throws {@link SmarterConfigError} on malformed names or values and on unsafe script sources.
 *
 * @example
 * buildCsp({ 'script-src': [NONCE] }).join('abc'); // "script-src 'nonce-abc'"
 */
export function buildCsp(directives: CspDirectives, options: { readonly allowUnsafeScripts?: boolean } = {}): string[] {
  const parts: string[] = [];
  for (const [name, values] of Object.entries(directives)) {
    if (!DIRECTIVE.test(name))
      throw new SmarterConfigError(`CSP directive "${name}" is not valid: use lower-case names such as "script-src".`);
    for (const value of values) {
      if (UNSAFE_VALUE.test(value) || value.trim() === '') {
        throw new SmarterConfigError(
          `CSP value in "${name}" must be one source expression without ";", "," or newlines.`,
        );
      }
      if (
        SCRIPT_DIRECTIVES.has(name) &&
        !options.allowUnsafeScripts &&
        (value === "'unsafe-inline'" || value === "'unsafe-eval'" || value === '*')
      ) {
        throw new SmarterConfigError(
          `CSP "${name}" must not contain ${value}: use the request nonce (NONCE) instead, or set dangerouslyAllowUnsafeScripts: true.`,
        );
      }
    }
    parts.push(values.length ? `${name} ${values.join(' ')}` : name);
  }
  return parts.join('; ').replaceAll(NONCE, "'nonce-\u0000'").split('\u0000');
}
