// Key verification micro-benchmarks (@smarter/auth over @smarter/data on better-sqlite3): warm (the in-process
// cache hits) and cold (no cache: every call reads SQLite and recomputes the keyed hash).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyEnvAvailability, openKeyEnv, Unavailable } from '../peers/key-env.ts';
import type { MicroCase } from './cases.ts';

function keyCase(id: string, label: string, cacheTtlMs: number | undefined): MicroCase {
  return {
    id,
    group: 'API keys',
    label,
    async prepare() {
      const available = keyEnvAvailability();
      if (available !== true) return available;
      const dir = mkdtempSync(join(tmpdir(), 'smarter-bench-keys-'));
      try {
        const env = await openKeyEnv(join(dir, 'keys.sqlite3'), cacheTtlMs === undefined ? {} : { cacheTtlMs });
        return {
          op: async () => {
            const r = await env.service.verify(env.token);
            if (!r.ok) throw new Error('key rejected');
          },
          notes: [cacheTtlMs === 0 ? 'cacheTtlMs: 0, better-sqlite3 file' : 'default cache, better-sqlite3 file'],
          dispose: async () => {
            await env.close();
            rmSync(dir, { recursive: true, force: true });
          },
        };
      } catch (error) {
        rmSync(dir, { recursive: true, force: true });
        if (error instanceof Unavailable) return error.message;
        throw error;
      }
    },
  };
}

/** Warm and cold key verification. */
export const KEY_CASES: readonly MicroCase[] = [
  keyCase('key-verify-warm', 'API key verification, warm cache', undefined),
  keyCase('key-verify-cold', 'API key verification, cold cache (SQLite read + keyed hash)', 0),
];
