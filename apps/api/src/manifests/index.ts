export { ManifestError, type ManifestIssue } from './errors.ts';
export { type ParseManifestOptions, parseManifests } from './parse.ts';
export {
  type AppliedOperation,
  applyPlan,
  describeOperation,
  type ManifestExecutor,
  type ManifestLookup,
  type ManifestOperation,
  type PlanOptions,
  planApply,
} from './plan.ts';
export {
  type LLMClientManifest,
  MANIFEST_API_VERSION,
  MANIFEST_KINDS,
  type Manifest,
  type ManifestKind,
  manifestSchema,
  type SecretManifest,
  type TokenManifest,
  type UserManifest,
} from './schemas.ts';
