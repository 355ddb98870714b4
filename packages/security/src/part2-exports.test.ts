import * as main from '@smarter/security';
import { describe, expect, it } from 'vitest';

describe('part 2 public exports', () => {
  it('the main entry exposes every guard, helper and resolver of part 2', () => {
    for (const name of [
      'smarter',
      'resolveSmarterOptions',
      'secureHeaders',
      'resolveSecureHeadersOptions',
      'secureHeadersOverride',
      'buildCsp',
      'mergeCsp',
      'cspReport',
      'resolveCspReportOptions',
      'summariseCspReport',
      'cors',
      'resolveCorsOptions',
      'originMatcher',
      'normaliseOrigin',
      'csrf',
      'resolveCsrfOptions',
      'csrfToken',
      'rotateCsrfToken',
      'csrfTokens',
      'jsonApi',
      'resolveJsonApiOptions',
      'parseJsonBody',
      'bodyLimit',
      'resolveBodyLimitOptions',
      'jsonNotFound',
      'jsonErrorHandler',
      'jsonLinesSink',
      'journalLine',
      'redact',
      'redactCredentials',
      'cutBeforeWord',
      'isSecretKeyName',
      'hostResolutionOf',
      'requestId',
      'requestIdOf',
      'responseHasHeader',
      'waitUntilOf',
      'emitFor',
      'resourceLimits',
      'resolveResourceLimitsOptions',
      'resourceMetrics',
    ]) {
      expect(typeof (main as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(main.NONCE).toBe("'nonce'");
    expect(main.CSRF_REASONS).toContain('ORIGIN_MISMATCH');
    expect(main.SMARTER_CLIENT_HEADERS).toEqual(['x-api-key', 'x-smarter-client', 'x-smarter-requestid']);
    expect(main.HTML_CSP['object-src']).toEqual(["'none'"]);
    // Internal helpers stay internal.
    for (const name of ['composeGuards', 'gatesMiddleware', 'addResponseHeader', 'withHeaders', 'newNonce']) {
      expect(name in main, name).toBe(false);
    }
  });
});
