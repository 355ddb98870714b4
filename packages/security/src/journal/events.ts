/** The fixed vocabulary of journal event types (SPEC §11). */
export const JOURNAL_EVENT_TYPES = [
  'host.rejected',
  'path.sensitive',
  'path.invalid',
  'scanner.banned',
  'scanner.notfound',
  'ban.rejected',
  'https.redirected',
  'csrf.rejected',
  'cors.rejected',
  'ratelimit.exceeded',
  'internal.rejected',
  'body.rejected',
  'auth.failed',
  'auth.succeeded',
  'key.created',
  'key.revoked',
  'key.rotated',
  'key.lifetime_warning',
  'key.lifetime_exceeded',
  'session.created',
  'session.revoked',
  'password.changed',
  'password.reset',
  'login.failed',
  'login.locked',
  'oauth.failed',
  'oauth.linked',
  'upload.rejected',
  'csp.report',
  'secret.rotated',
  'resource.limit',
  'store.failed',
  'journal.pruned',
  'config.loaded',
  'config.changed',
  'agent.created',
  'agent.deployed',
  'agent.deleted',
  'user.created',
] as const;

/** One of {@link JOURNAL_EVENT_TYPES}. */
export type JournalEventType = (typeof JOURNAL_EVENT_TYPES)[number];

/** How much an event matters. */
export type JournalSeverity = 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical';

/** What a guard or service reports; the journal fills in id and time. */
export interface JournalEventInput {
  readonly type: JournalEventType;
  readonly severity: JournalSeverity;
  readonly requestId?: string | undefined;
  /** The client key (canonical IP or /64), never a raw header. */
  readonly clientKey?: string | undefined;
  /** User or key id; never a token. */
  readonly principal?: string | undefined;
  readonly account?: string | undefined;
  readonly agent?: string | undefined;
  readonly method?: string | undefined;
  /** The canonical path, never the raw request target. */
  readonly path?: string | undefined;
  readonly status?: number | undefined;
  /** A stable reason code (UPPER_SNAKE). */
  readonly reason?: string | undefined;
  /** Extra, already-safe details; redacted again by the sinks. */
  readonly details?: Readonly<Record<string, unknown>> | undefined;
}

/** A journal event as stored and emitted. */
export interface JournalEvent extends JournalEventInput {
  readonly id: string;
  /** ISO 8601 time. */
  readonly time: string;
}

/** Where journal events go. `write` may be async; callers never await it on the response path. */
export interface JournalSink {
  write(event: JournalEvent): void | Promise<void>;
}
