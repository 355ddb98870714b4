import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const apiDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('the CLI entry', () => {
  it('reports a database it cannot open by the error name only, never the path or the driver message', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'smarter-cli-')), 'a-file');
    writeFileSync(file, '');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'journal', 'tail'], {
      cwd: apiDir,
      encoding: 'utf8',
      timeout: 60_000,
      input: '',
      env: {
        ...process.env,
        SMARTER_ENV: 'test',
        SMARTER_SECRET_KEYS: 'k1:0123456789abcdef0123456789abcdef0123456789',
        // A directory cannot be made under a file: the open fails with a message naming the path.
        SMARTER_DATABASE_URL: join(file, 'private-place', 'db.sqlite3'),
      },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('smarter journal: failed (Error)');
    expect(run.stderr).not.toContain('private-place');
    expect(run.stderr).not.toMatch(/ENOTDIR|at \w+ \(/);
  });
});
