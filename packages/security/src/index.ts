// — part 2: headers, CORS, CSRF, JSON API, journal sinks, resources (issue 4) —
export {
  type BodyLimitOptions,
  bodyLimit,
  type ResolvedBodyLimitOptions,
  resolveBodyLimitOptions,
} from './api/body-limit.ts';
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
export {
  hostResolutionOf,
  normaliseOrigin,
  type OriginMatcher,
  type OriginSources,
  originMatcher,
} from './cors/origins.ts';
export {
  CSRF_REASONS,
  type CsrfOptions,
  type CsrfReason,
  type CsrfState,
  csrf,
  csrfToken,
  type ResolvedCsrfOptions,
  resolveCsrfOptions,
  rotateCsrfToken,
} from './csrf/csrf.ts';
export { type CsrfTokens, csrfTokens, type RawKey } from './csrf/token.ts';
export {
  PROBLEM_CONTENT_TYPE,
  type Problem,
  type ProblemInit,
  problemBody,
  problemResponse,
} from './errors/problem.ts';
export { Secret } from './errors/secret.ts';
export { isSmarterError, SmarterConfigError, SmarterError, type SmarterErrorOptions } from './errors/smarter-error.ts';
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
// — part 1: identity, paths, sensitive files, scanner bans, hosts, HTTPS, internal-only, rate limits, stores (issue 3) —
export {
  type AllowedHostsOptions,
  type AllowedHostsVariables,
  allowedHosts,
  type HostProbeOptions,
  type RawHostHeaders,
  type ResolvedAllowedHostsOptions,
  resolveAllowedHostsOptions,
} from './host/allowed-hosts.ts';
export { type CachedHostResolver, type CachedHostResolverOptions, cachedHostResolver } from './host/cached-resolver.ts';
export type { HostResolution, HostResolver, OriginResolver } from './host/resolver.ts';
export {
  type HstsOptions,
  type HttpsOnlyOptions,
  httpsOnly,
  type ResolvedHttpsOnlyOptions,
  resolveHttpsOnlyOptions,
} from './https/https-only.ts';
export * from './identity/index.ts';
export { type ExpiryCache, expiryCache } from './internal/expiry-cache.ts';
export type { FailMode } from './internal/guard.ts';
export { requestIdOf, waitUntilOf } from './internal/request.ts';
export { responseHasHeader } from './internal/response-headers.ts';
export {
  type InternalOnlyOptions,
  internalOnly,
  type ResolvedInternalOnlyOptions,
  resolveInternalOnlyOptions,
} from './internal-only/internal-only.ts';
export { emitFor } from './journal/emit.ts';
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
export { type JsonLinesSinkOptions, journalLine, jsonLinesSink } from './journal/json-lines.ts';
export { cutBeforeWord, isSecretKeyName, redact, redactCredentials } from './journal/redact.ts';
export { type RequestIdVariables, requestId } from './journal/request-id.ts';
export {
  type CanonicalPathResult,
  canonicalizePath,
  MAX_PATH_LENGTH,
  type PathErrorReason,
} from './path/canonicalize.ts';
export { compilePathPatterns, type PathPatternMatcher } from './path/patterns.ts';
export {
  type ResolvedSmarterOptions,
  resolveSmarterOptions,
  type SmarterGuard,
  type SmarterOptions,
  type SmarterSecurity,
  smarter,
} from './preset/smarter.ts';
export {
  type RateLimitKey,
  type RateLimitOptions,
  type ResolvedRateLimitOptions,
  rateLimit,
  rateLimitPolicy,
  rateLimitState,
  resolveRateLimitOptions,
} from './rate-limit/rate-limit.ts';
export { DURATION_BUCKETS, type ResourceMetrics, resourceMetrics } from './resource/metrics.ts';
export {
  type ResolvedResourceLimitsOptions,
  type ResourceLimits,
  type ResourceLimitsOptions,
  resolveResourceLimitsOptions,
  resourceLimits,
} from './resource/resource-limits.ts';
export { type BanList, type BanListOptions, createBanList } from './scanner/ban-list.ts';
export type { BanStatus } from './scanner/enforce-ban.ts';
export {
  type CredentialPredicate,
  DEFAULT_BENIGN_MISSES,
  type ExcessiveNotFoundOptions,
  excessiveNotFound,
  type ResolvedExcessiveNotFoundOptions,
  resolveExcessiveNotFoundOptions,
} from './scanner/excessive-not-found.ts';
export { compileSensitiveMatcher, type SensitiveMatch, type SensitiveMatcher } from './sensitive/matcher.ts';
export {
  SENSITIVE_PATTERNS,
  type SensitiveCategory,
  type SensitivePattern,
  type SensitivePatternKind,
} from './sensitive/patterns.ts';
export {
  DEFAULT_AMNESTY,
  type ResolvedSensitiveFilesOptions,
  resolveSensitiveFilesOptions,
  type SensitiveFilesOptions,
  sensitiveFiles,
} from './sensitive/sensitive-files.ts';
export type { Clock, CounterResult, Store } from './store/store.ts';
export {
  type MemoryStore,
  type MemoryStoreOptions,
  memoryStore,
  type ResolvedMemoryStoreOptions,
  resolveMemoryStoreOptions,
} from './stores/memory/memory-store.ts';
