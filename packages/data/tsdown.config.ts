import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'better-sqlite3/index': 'src/better-sqlite3/index.ts',
    'bun-sqlite/index': 'src/bun-sqlite/index.ts',
    'node-sqlite/index': 'src/node-sqlite/index.ts',
    'd1/index': 'src/d1/index.ts',
    'postgres/index': 'src/postgres/index.ts',
    'testing/index': 'src/testing/index.ts',
  },
  format: 'esm',
  platform: 'neutral',
  dts: true,
  sourcemap: true,
  clean: true,
});
