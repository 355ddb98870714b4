import type { JournalEvent, JournalSink } from './events.ts';
import { redact } from './redact.ts';

/** Options of {@link jsonLinesSink}. */
export interface JsonLinesSinkOptions {
  /** Writes one line (no trailing newline). @default console.log (stdout on every runtime) */
  readonly write?: (line: string) => void;
}

/** Fields the journal itself makes (ids, clock, typed vocabulary): copied as they are. */
const OWN = ['id', 'time', 'type', 'severity'] as const;
/** Fields that carry what a request brought: redacted. */
const SCALARS = [
  'requestId',
  'clientKey',
  'principal',
  'account',
  'agent',
  'method',
  'path',
  'status',
  'reason',
] as const;

/**
 * Serialises an event as one JSON line. Redaction is by construction: only the known fields are copied (an event
 * object with extra properties cannot smuggle them out), scalar fields are re-checked, and `details` goes through
 * {@link redact}.
 */
export function journalLine(event: JournalEvent): string {
  const out: Record<string, unknown> = {};
  for (const key of OWN) {
    const value = event[key];
    if (value !== undefined) out[key] = value;
  }
  for (const key of SCALARS) {
    const value = event[key];
    if (value !== undefined) out[key] = typeof value === 'string' ? redact(value) : value;
  }
  if (event.details !== undefined) out['details'] = redact(event.details);
  return JSON.stringify(out);
}

/**
 * The default journal sink (SPEC §11): JSON lines to stdout, redacted.
 *
 * @example
 * const journal = createJournal({ sinks: [jsonLinesSink()] });
 */
export function jsonLinesSink(options: JsonLinesSinkOptions = {}): JournalSink {
  const write = options.write ?? ((line: string) => console.log(line));
  return {
    write(event) {
      write(journalLine(event));
    },
  };
}
