import { LineCounter, parseAllDocuments } from 'yaml';
import { fieldErrors } from '../openapi/validator.ts';
import { ManifestError, type ManifestIssue } from './errors.ts';
import { MANIFEST_API_VERSION, MANIFEST_KINDS, type Manifest, manifestSchema } from './schemas.ts';

/** Limits of {@link parseManifests}. */
export interface ParseManifestOptions {
  /** @default 1048576 */
  readonly maxBytes?: number;
  /** @default 100 */
  readonly maxDocuments?: number;
}

/**
 * Parses a YAML (or JSON) file of Smarter manifests (`---`-separated documents) and validates each one.
 * YAML is read with the core schema only (no custom tags), unique keys and a small alias budget (no
 * "billion laughs"). Throws a {@link ManifestError} listing every issue with its document and field path.
 *
 * @example
 * const manifests = parseManifests(readFileSync('agent.yaml', 'utf8'));
 */
export function parseManifests(text: string, options: ParseManifestOptions = {}): Manifest[] {
  const maxBytes = options.maxBytes ?? 1_048_576;
  const maxDocuments = options.maxDocuments ?? 100;
  if (new TextEncoder().encode(text).byteLength > maxBytes) {
    throw new ManifestError([{ document: 0, path: '', message: `The file is larger than ${maxBytes} bytes` }]);
  }
  // No prettyErrors: on deeply nested input it builds a regular expression the engine cannot allocate, which kills
  // the process (without it the parser reports RESOURCE_EXHAUSTION); line numbers come from the line counter.
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    schema: 'core',
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
    lineCounter,
  });
  const list = Array.isArray(docs) ? docs : [];
  const issues: ManifestIssue[] = [];
  if (list.length > maxDocuments) {
    throw new ManifestError([{ document: 0, path: '', message: `The file holds more than ${maxDocuments} documents` }]);
  }
  const manifests: Manifest[] = [];
  list.forEach((doc, index) => {
    const document = index + 1;
    if (doc.errors.length > 0) {
      for (const error of doc.errors.slice(0, 5)) {
        issues.push({
          document,
          path: '',
          message: `YAML syntax error (${error.code})`,
          line: lineCounter.linePos(error.pos[0]).line,
        });
      }
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 50 });
    } catch {
      issues.push({ document, path: '', message: 'Too many YAML aliases' });
      return;
    }
    if (value === null || value === undefined) return; // an empty document (a trailing ---)
    const head = value as { apiVersion?: unknown; kind?: unknown };
    if (typeof value !== 'object' || Array.isArray(value)) {
      issues.push({ document, path: '', message: 'Expected a mapping with apiVersion, kind, metadata and spec' });
      return;
    }
    if (head.apiVersion !== MANIFEST_API_VERSION) {
      issues.push({ document, path: 'apiVersion', message: `Must be ${MANIFEST_API_VERSION}` });
      return;
    }
    if (typeof head.kind !== 'string' || !(MANIFEST_KINDS as readonly string[]).includes(head.kind)) {
      issues.push({ document, path: 'kind', message: `Must be one of: ${MANIFEST_KINDS.join(', ')}` });
      return;
    }
    const parsed = manifestSchema.safeParse(value);
    if (!parsed.success) {
      for (const e of fieldErrors(parsed.error.issues, 'manifest')) {
        issues.push({ document, path: e.path, message: e.message });
      }
      return;
    }
    manifests.push(parsed.data);
  });
  if (issues.length > 0) throw new ManifestError(issues);
  if (manifests.length === 0)
    throw new ManifestError([{ document: 0, path: '', message: 'The file holds no manifest' }]);
  return manifests;
}
