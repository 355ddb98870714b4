import { describe, expect, it } from 'vitest';
import { testApp } from './testing/test-app.ts';

/** The app behind a proxy at 10.0.0.5 that terminates TLS and says so in X-Forwarded-Proto (SPEC §1, §6). */
function behindProxy(env: Record<string, string> = {}) {
  const { app } = testApp({ SMARTER_TRUSTED_PROXIES: '10.0.0.0/8', ...env }, { peerAddress: () => '10.0.0.5' });
  return (proto: 'http' | 'https') =>
    app.request('http://localhost/healthz', {
      headers: { 'x-forwarded-proto': proto, 'x-forwarded-for': '192.0.2.7' },
    });
}

describe('HSTS follows SMARTER_HSTS_SECONDS and SMARTER_HSTS_PRELOAD', () => {
  it('sends one year with subdomains by default, on https responses only', async () => {
    const request = behindProxy();
    const https = await request('https');
    expect(https.status).toBe(200);
    expect(https.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect((await request('http')).headers.get('strict-transport-security')).toBeNull();
  });

  it('sends the configured max-age and preload', async () => {
    const request = behindProxy({ SMARTER_HSTS_SECONDS: '63072000', SMARTER_HSTS_PRELOAD: 'true' });
    const https = await request('https');
    expect(https.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains; preload');
    expect((await request('http')).headers.get('strict-transport-security')).toBeNull();
  });

  it('sends max-age=0 for 0, so browsers that saw an earlier policy forget it (RFC 6797 §6.1.1)', async () => {
    const request = behindProxy({ SMARTER_HSTS_SECONDS: '0' });
    expect((await request('https')).headers.get('strict-transport-security')).toBe('max-age=0; includeSubDomains');
  });
});
