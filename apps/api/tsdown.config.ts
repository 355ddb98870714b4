import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: {
    app: 'src/app.ts',
    'entry/node': 'src/entry/node.ts',
    'entry/bun': 'src/entry/bun.ts',
    'entry/deno': 'src/entry/deno.ts',
    'cli/main': 'src/cli/main.ts',
  },
  format: 'esm',
  platform: 'node',
  dts: false,
  sourcemap: true,
  clean: true,
  fixedExtension: false,
  external: [/^bun:/, /^node:/, /^@smarter\//],
});
