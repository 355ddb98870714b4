// Runs the portable checks inside workerd (bundled by runtimes.test.ts, run by Miniflare) with PBKDF2 from WebCrypto.
import { pbkdf2Engine } from '../dist/index.js';
import { portableChecks } from './checks.js';

export default {
  async fetch() {
    const timings = {};
    const results = [];
    for (const [name, fn] of portableChecks(pbkdf2Engine(), timings)) {
      try {
        await fn();
        results.push({ name, ok: true });
      } catch (error) {
        results.push({ name, ok: false, error: String(error?.stack ?? error) });
      }
    }
    return Response.json({ results, hashMs: timings.hashMs });
  },
};
