import { SmarterConfigError } from '@smarter/security';

/** How a file type is recognised: by its magic bytes (file-type extensions), or as text (no magic, valid UTF-8). */
export interface FileTypeRule {
  readonly contentType: string;
  /** `text`, or the file-type extensions whose magic bytes must be found. */
  readonly sniff: 'text' | readonly string[];
  /** Active content: refused unless `dangerouslyAllowActiveContent`. */
  readonly active?: boolean;
}

/** Every type the upload path knows. Extensions outside this table cannot be allowed. */
export const FILE_TYPES: Readonly<Record<string, FileTypeRule>> = {
  pdf: { contentType: 'application/pdf', sniff: ['pdf'] },
  png: { contentType: 'image/png', sniff: ['png'] },
  jpg: { contentType: 'image/jpeg', sniff: ['jpg'] },
  jpeg: { contentType: 'image/jpeg', sniff: ['jpg'] },
  gif: { contentType: 'image/gif', sniff: ['gif'] },
  webp: { contentType: 'image/webp', sniff: ['webp'] },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', sniff: ['docx'] },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', sniff: ['xlsx'] },
  pptx: { contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', sniff: ['pptx'] },
  txt: { contentType: 'text/plain; charset=utf-8', sniff: 'text' },
  md: { contentType: 'text/markdown; charset=utf-8', sniff: 'text' },
  csv: { contentType: 'text/csv; charset=utf-8', sniff: 'text' },
  json: { contentType: 'application/json', sniff: 'text' },
  html: { contentType: 'text/html; charset=utf-8', sniff: 'text', active: true },
  htm: { contentType: 'text/html; charset=utf-8', sniff: 'text', active: true },
  svg: { contentType: 'image/svg+xml', sniff: 'text', active: true },
};

/** Options of the upload path (SPEC §18). */
export interface UploadOptions {
  /** Largest file in bytes. @default 10485760 (10 MiB) */
  readonly maxFileBytes?: number;
  /** Most files in one upload. @default 10 */
  readonly maxFiles?: number;
  /** Largest upload (all files) in bytes. @default 52428800 (50 MiB) */
  readonly maxTotalBytes?: number;
  /** Allowed extensions (lower-case, no dot). @default pdf, txt, md, csv, json, png, jpg, jpeg, gif, webp, docx, xlsx, pptx */
  readonly allowedExtensions?: readonly string[];
  /** Allow HTML/SVG (active content) when also listed in `allowedExtensions`. @default false */
  readonly dangerouslyAllowActiveContent?: boolean;
}

/** {@link UploadOptions} after validation. */
export interface ResolvedUploadOptions {
  readonly maxFileBytes: number;
  readonly maxFiles: number;
  readonly maxTotalBytes: number;
  readonly allowed: ReadonlyMap<string, FileTypeRule>;
  readonly allowActive: boolean;
}

const DEFAULT_EXTENSIONS = [
  'pdf',
  'txt',
  'md',
  'csv',
  'json',
  'png',
  'jpg',
  'jpeg',
  'gif',
  'webp',
  'docx',
  'xlsx',
  'pptx',
];
const KNOWN = new Set([
  'maxFileBytes',
  'maxFiles',
  'maxTotalBytes',
  'allowedExtensions',
  'dangerouslyAllowActiveContent',
]);

function positiveInt(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new SmarterConfigError(`${name} must be an integer between 1 and ${max}.`);
  }
  return value;
}

/**
 * Validates upload options once. Unknown extensions, active types without the explicit opt-in and misspelled
 * options throw a `SmarterConfigError` saying what to write instead.
 *
 * @example
 * const policy = resolveUploadOptions({ allowedExtensions: ['pdf', 'md'] });
 */
export function resolveUploadOptions(options: UploadOptions = {}): ResolvedUploadOptions {
  for (const name of Object.keys(options)) {
    if (!KNOWN.has(name))
      throw new SmarterConfigError(`Unknown upload option "${name}": use one of ${[...KNOWN].join(', ')}.`);
  }
  const maxFileBytes = positiveInt('maxFileBytes', options.maxFileBytes ?? 10 * 1024 * 1024, 1024 * 1024 * 1024);
  const maxFiles = positiveInt('maxFiles', options.maxFiles ?? 10, 1000);
  const maxTotalBytes = positiveInt('maxTotalBytes', options.maxTotalBytes ?? 50 * 1024 * 1024, 4 * 1024 * 1024 * 1024);
  if (maxTotalBytes < maxFileBytes) throw new SmarterConfigError('maxTotalBytes must be at least maxFileBytes.');
  const allowActive = options.dangerouslyAllowActiveContent === true;
  const allowed = new Map<string, FileTypeRule>();
  for (const raw of options.allowedExtensions ?? DEFAULT_EXTENSIONS) {
    const ext = raw.toLowerCase().replace(/^\./, '');
    const rule = FILE_TYPES[ext];
    if (!rule) {
      throw new SmarterConfigError(
        `Extension "${ext}" is not a known upload type: choose from ${Object.keys(FILE_TYPES).join(', ')}.`,
      );
    }
    if (rule.active && !allowActive) {
      throw new SmarterConfigError(
        `Extension "${ext}" is active content: also set dangerouslyAllowActiveContent: true if you really serve it.`,
      );
    }
    allowed.set(ext, rule);
  }
  return { maxFileBytes, maxFiles, maxTotalBytes, allowed, allowActive };
}
