/** What a scanner is shown: the bytes and what the upload path already knows about them. */
export interface ScanInput {
  readonly bytes: Uint8Array;
  readonly extension: string;
  readonly contentType: string;
  readonly sha256: string;
}

/** A scanner's verdict. */
export type ScanVerdict = { readonly clean: true } | { readonly clean: false; readonly reason: string };

/**
 * Malware-scanning hook (port), called before a file is stored; for example a clamd adapter. A rejecting verdict
 * refuses the upload (journaled as `upload.rejected`); a scanner that throws fails the upload closed (503).
 */
export interface MalwareScanner {
  readonly name: string;
  scan(input: ScanInput): Promise<ScanVerdict>;
}

/** The default scanner: accepts everything (the type checks still apply). */
export const noopScanner: MalwareScanner = {
  name: 'none',
  scan: async () => ({ clean: true }),
};
