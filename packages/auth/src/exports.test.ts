import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, unknown>;
};

describe('package exports', () => {
  it('every subpath loads and exports something', async () => {
    const loaders: Record<string, () => Promise<Record<string, unknown>>> = {
      '.': () => import('@smarter/auth'),
      './password-node': () => import('@smarter/auth/password-node'),
      './smtp-node': () => import('@smarter/auth/smtp-node'),
      './testing': () => import('@smarter/auth/testing'),
      './testing/conformance': () => import('@smarter/auth/testing/conformance'),
    };
    const subpaths = Object.keys(manifest.exports).filter((k) => k !== './package.json');
    expect(subpaths.sort()).toEqual(Object.keys(loaders).sort());
    for (const subpath of subpaths) {
      const mod = await loaders[subpath]?.();
      expect(Object.keys(mod ?? {}).length, subpath).toBeGreaterThan(0);
    }
  });

  it('the main entry carries the core API', async () => {
    const auth = await import('@smarter/auth');
    for (const name of [
      'apiKeyAuth',
      'requireScopes',
      'createApiKeyService',
      'createSessionManager',
      'createPasswordHasher',
      'pbkdf2Engine',
      'createOAuthLogin',
      'createSecretBox',
      'parseKeyRing',
      'defaultPasswordValidators',
    ]) {
      expect(typeof (auth as Record<string, unknown>)[name], name).toBe('function');
    }
    expect('scryptEngine' in auth).toBe(false);
  });
});
