import { SmarterError } from '@smarter/security';

/** One problem in a manifest file: which document, where, and what is wrong (never the value). */
export interface ManifestIssue {
  /** 1-based index of the YAML document in the file. */
  readonly document: number;
  /** Dotted field path (`spec.config.email`), or `` for the whole document. */
  readonly path: string;
  readonly message: string;
  /** Line in the file, when known (YAML syntax errors). */
  readonly line?: number | undefined;
}

/** An invalid manifest: every issue found, with field paths. */
export class ManifestError extends SmarterError {
  readonly issues: readonly ManifestIssue[];

  constructor(issues: readonly ManifestIssue[]) {
    super('MANIFEST_INVALID', 'The manifest is invalid', { status: 400 });
    this.name = 'ManifestError';
    this.issues = issues;
  }

  /** Human lines for the CLI: `document 2, spec.config.email: Must be a valid email`. */
  lines(): string[] {
    return this.issues.map(
      (i) => `document ${i.document}${i.line ? ` (line ${i.line})` : ''}${i.path ? `, ${i.path}` : ''}: ${i.message}`,
    );
  }
}
