import * as main from '@smarter/security';
import * as durableObject from '@smarter/security/stores/durable-object';
import * as redis from '@smarter/security/stores/redis';
import { describe, expect, it } from 'vitest';

describe('part 1 public exports', () => {
  it('the main entry exposes every guard, helper and store of part 1', () => {
    for (const name of [
      'clientIdentity',
      'resolveClientIdentityOptions',
      'identityOf',
      'canonicalIp',
      'clientKeyOf',
      'compileIpMatcher',
      'parseForwarded',
      'parseHostHeader',
      'resolveClient',
      'runtimePeerAddress',
      'canonicalizePath',
      'compilePathPatterns',
      'compileSensitiveMatcher',
      'sensitiveFiles',
      'resolveSensitiveFilesOptions',
      'excessiveNotFound',
      'resolveExcessiveNotFoundOptions',
      'createBanList',
      'allowedHosts',
      'resolveAllowedHostsOptions',
      'cachedHostResolver',
      'httpsOnly',
      'resolveHttpsOnlyOptions',
      'internalOnly',
      'resolveInternalOnlyOptions',
      'rateLimit',
      'rateLimitPolicy',
      'rateLimitState',
      'resolveRateLimitOptions',
      'memoryStore',
      'resolveMemoryStoreOptions',
    ]) {
      expect(typeof (main as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(main.SENSITIVE_PATTERNS.length).toBeGreaterThan(100);
    expect(main.DEFAULT_AMNESTY).toContain('/robots.txt');
    expect(main.DEFAULT_BENIGN_MISSES).toContain('/favicon.ico');
    expect(Object.keys(main.PROXY_PRESETS)).toEqual(['loopback', 'private', 'aws-alb', 'gcp-lb', 'cloudflare']);
  });

  it('the Redis subpath exposes the store without loading ioredis', () => {
    expect(typeof redis.redisStore).toBe('function');
    expect(typeof redis.resolveRedisStoreOptions).toBe('function');
  });

  it('the Durable Object subpath exposes the store and the class to re-export, loadable outside workerd', () => {
    expect(typeof durableObject.durableObjectStore).toBe('function');
    expect(typeof durableObject.resolveDurableObjectStoreOptions).toBe('function');
    expect(typeof durableObject.SmarterStoreObject).toBe('function');
    expect(typeof durableObject.DurableObjectStoreError).toBe('function');
    expect(typeof durableObject.shardOf).toBe('function');
  });
});
