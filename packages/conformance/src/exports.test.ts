import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { binaryOf } from './runtimes.ts';

// Every public subpath of every published package: the built file must load on its own and export exactly what the
// source entry exports (DESIGN §3: every subpath is API, and a test imports every export).
const PACKAGES = ['@smarter/security', '@smarter/auth', '@smarter/data'] as const;
const require = createRequire(import.meta.url);

// Subpaths that only load on one runtime (their driver is a runtime module): checked on that runtime's binary.
const BUN_ONLY = new Set(['@smarter/data/bun-sqlite']);

/** Named exports of each file, as Bun sees them. */
function bunExportNames(...files: string[]): string[][] {
  const script = `const out = []; for (const f of ${JSON.stringify(files)}) out.push(Object.keys(await import(f)).sort()); console.log(JSON.stringify(out));`;
  const run = spawnSync(binaryOf('bun'), ['-e', script], { encoding: 'utf8', timeout: 30_000 });
  if (run.status !== 0) throw new Error(`bun could not load ${files.join(', ')}: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[][];
}

type ExportTarget = { '@smarter/source': string; types: string; default: string };

for (const name of PACKAGES) {
  const manifestPath = require.resolve(`${name}/package.json`, {
    paths: [join(process.cwd(), '..', '..', 'apps', 'api')],
  });
  const root = dirname(manifestPath);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, ExportTarget | string> };

  describe(`exports of ${name}`, () => {
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (typeof target === 'string') continue;
      const id = `${name}${subpath.slice(1)}`;
      if (BUN_ONLY.has(id)) {
        it(`${subpath} loads from dist on Bun with the same named exports as its source`, () => {
          const [source, built] = bunExportNames(join(root, target['@smarter/source']), join(root, target.default));
          expect(source?.length).toBeGreaterThan(0);
          expect(built).toEqual(source);
        });
        continue;
      }
      it(`${subpath} loads from dist with the same named exports as its source`, async () => {
        const source = await import(/* @vite-ignore */ pathToFileURL(join(root, target['@smarter/source'])).href);
        const built = await import(/* @vite-ignore */ pathToFileURL(join(root, target.default)).href);
        const names = Object.keys(source).sort();
        expect(names.length).toBeGreaterThan(0);
        expect(Object.keys(built).sort()).toEqual(names);
        expect(Object.keys(built)).not.toContain('default');
      });
    }
  });
}
