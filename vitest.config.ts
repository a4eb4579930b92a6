import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{machine,vcpu,dsm,node-agent,coordinator,lab,cli,bench}/src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
