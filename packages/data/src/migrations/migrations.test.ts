import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pgMigrations, sqliteMigrations } from './embedded.gen.ts';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const script = join(packageDir, 'scripts/migrations.mjs');
const check = (...args: string[]) =>
  spawnSync(process.execPath, [script, '--check', ...args], { cwd: packageDir, encoding: 'utf8', timeout: 60_000 });

describe('embedded migrations', () => {
  it('match what drizzle-kit generated, and the schema has no change without a migration', () => {
    const run = check();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 60_000);

  it('are reported stale when the embedded copy differs from the generated files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smarter-embedded-'));
    try {
      const copy = join(dir, 'embedded.gen.ts');
      copyFileSync(join(packageDir, 'src/migrations/embedded.gen.ts'), copy);
      writeFileSync(copy, readFileSync(copy, 'utf8').replace('CREATE TABLE', 'CREATE TABLE IF NOT EXISTS'));
      const run = check('--embedded', copy);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('stale');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('are schema-neutral on PostgreSQL and split into single statements', () => {
    for (const migration of [...sqliteMigrations, ...pgMigrations]) {
      expect(migration.hash).toMatch(/^[0-9a-f]{64}$/);
      for (const statement of migration.statements) {
        expect(statement.trim()).not.toBe('');
        expect(statement).not.toContain('--> statement-breakpoint');
      }
    }
    expect(pgMigrations.flatMap((m) => m.statements).join('\n')).not.toContain('"public".');
    expect(sqliteMigrations.map((m) => m.tag)).toEqual(pgMigrations.map((m) => m.tag));
  });
});
