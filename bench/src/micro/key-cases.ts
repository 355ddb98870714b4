// Key verification micro-benchmarks (@smarter/auth over @smarter/data on better-sqlite3): warm (the in-process
// cache hits) and cold (every call reads SQLite and recomputes the keyed hash). Wired as the code lands.
import type { MicroCase } from './cases.ts';
import { authAvailability } from './cases.ts';

function keyCase(id: string, label: string): MicroCase {
  return {
    id,
    group: 'API keys',
    label,
    async prepare() {
      const available = authAvailability();
      if (available !== true) return available;
      return 'not available yet: the SQLite repositories of @smarter/data are not on main';
    },
  };
}

/** Warm and cold key verification. */
export const KEY_CASES: readonly MicroCase[] = [
  keyCase('key-verify-warm', 'API key verification, warm cache'),
  keyCase('key-verify-cold', 'API key verification, cold cache (SQLite read + keyed hash)'),
];
