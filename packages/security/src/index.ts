export {
  PROBLEM_CONTENT_TYPE,
  type Problem,
  type ProblemInit,
  problemBody,
  problemResponse,
} from './errors/problem.ts';
export { Secret } from './errors/secret.ts';
export { isSmarterError, SmarterConfigError, SmarterError, type SmarterErrorOptions } from './errors/smarter-error.ts';
export type { HostResolution, HostResolver, OriginResolver } from './host/resolver.ts';
export * from './identity/index.ts';
export {
  JOURNAL_EVENT_TYPES,
  type JournalEvent,
  type JournalEventInput,
  type JournalEventType,
  type JournalSeverity,
  type JournalSink,
} from './journal/events.ts';
export {
  createJournal,
  type Journal,
  type JournalOptions,
  type MemorySink,
  memorySink,
  type WaitUntil,
} from './journal/journal.ts';
export type { Clock, CounterResult, Store } from './store/store.ts';
