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
// — part 2: headers, CORS, CSRF, JSON API, journal sinks, resources (issue 4) —
export { type BodyLimitOptions, bodyLimit, type ResolvedBodyLimitOptions, resolveBodyLimitOptions } from './api/body-limit.ts';
export { type JsonErrorHandlerOptions, jsonErrorHandler, jsonNotFound } from './api/errors.ts';
export {
  type JsonApiOptions,
  type JsonApiVariables,
  jsonApi,
  type ResolvedJsonApiOptions,
  resolveJsonApiOptions,
} from './api/json-api.ts';
export { type JsonBodyFailure, parseJsonBody } from './api/json-body.ts';
export {
  type CorsOptions,
  cors,
  type ResolvedCorsOptions,
  resolveCorsOptions,
  SMARTER_CLIENT_HEADERS,
} from './cors/cors.ts';
export { normaliseOrigin, type OriginMatcher, type OriginSources, originMatcher } from './cors/origins.ts';
export {
  CSRF_REASONS,
  type CsrfOptions,
  type CsrfReason,
  type CsrfVariables,
  csrf,
  csrfToken,
  type ResolvedCsrfOptions,
  resolveCsrfOptions,
  rotateCsrfToken,
} from './csrf/csrf.ts';
export { type CsrfTokens, csrfTokens, type RawKey } from './csrf/token.ts';
export { API_CSP, buildCsp, type CspDirectives, HTML_CSP, mergeCsp, NONCE } from './headers/csp.ts';
export {
  type CspReportOptions,
  cspReport,
  type ResolvedCspReportOptions,
  resolveCspReportOptions,
  summariseCspReport,
} from './headers/csp-report.ts';
export { DEFAULT_PERMISSIONS_POLICY } from './headers/profiles.ts';
export {
  type PrivateReferrerPolicy,
  type ResolvedSecureHeaders,
  resolveSecureHeadersOptions,
  type SecureHeadersOptions,
  type SecureHeadersOverride,
  type SecureHeadersVariables,
  secureHeaders,
  secureHeadersOverride,
} from './headers/secure-headers.ts';
export { emitFor } from './journal/emit.ts';
export { type JsonLinesSinkOptions, journalLine, jsonLinesSink } from './journal/json-lines.ts';
export { redact } from './journal/redact.ts';
export { type RequestIdVariables, requestId } from './journal/request-id.ts';
export { DURATION_BUCKETS, type ResourceMetrics, resourceMetrics } from './resource/metrics.ts';
export {
  type ResolvedResourceLimitsOptions,
  type ResourceLimits,
  type ResourceLimitsOptions,
  resolveResourceLimitsOptions,
  resourceLimits,
} from './resource/resource-limits.ts';
