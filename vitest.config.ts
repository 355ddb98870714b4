import { defaultServerConditions, defineConfig } from 'vite';
import { defineProject } from 'vitest/config';

const conditions = ['@smarter/source', ...defaultServerConditions];

function project(name: string, root: string, testTimeout = 10_000) {
  return defineProject({
    root,
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@smarter/source'] } },
    test: { name, include: ['src/**/*.test.{ts,tsx}'], environment: 'node', testTimeout },
  });
}

export default defineConfig({
  test: {
    projects: [
      project('security', 'packages/security'),
      project('auth', 'packages/auth'),
      project('data', 'packages/data'),
      project('api', 'apps/api'),
      project('conformance', 'packages/conformance', 30_000),
      project('bench', 'bench'),
    ],
  },
});
