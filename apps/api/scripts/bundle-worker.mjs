// Bundles the Workers entry exactly as production does (wrangler, offline dry run) into dist/workers.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cwd = fileURLToPath(new URL('..', import.meta.url));
const result = spawnSync('wrangler', ['deploy', '--dry-run', '--outdir', 'dist/workers', '--minify=false'], {
  cwd,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG: 'error', NO_COLOR: '1' },
  shell: false,
});
if (result.status !== 0) {
  console.error('wrangler bundling of src/entry/workers.ts failed');
  process.exit(result.status ?? 1);
}
