import { toHex } from '../internal/hex.ts';

const MAX_NAME = 120;

/**
 * A safe display name for an uploaded file (kept as metadata only, never as a path): the last path segment,
 * NFKC, without control or bidi characters, reserved characters replaced, at most 120 characters.
 *
 * @example
 * sanitizeFileName('../../etc/pass\u0000wd.txt'); // 'pass_wd.txt'
 */
export function sanitizeFileName(name: string): string {
  const last = name.normalize('NFKC').split(/[/\\]/).pop() ?? '';
  let clean = last
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '_')
    .replace(/[<>:"|?*%;`$&'{}[\]#=+,!^~]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/_+/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (clean.length > MAX_NAME) {
    const dot = clean.lastIndexOf('.');
    const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
    clean = clean.slice(0, MAX_NAME - ext.length) + ext;
  }
  return clean || 'file';
}

/** The lower-case extension of a (sanitised) name, or '' when it has none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** A random storage key (128 bits, lower-case hex): what the file is stored under; the user's name never is. */
export function randomStorageKey(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(16)));
}

/** Storage keys are exactly what {@link randomStorageKey} makes; anything else is refused by every storage. */
export const STORAGE_KEY: RegExp = /^[0-9a-f]{32}$/;
