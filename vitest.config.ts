import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{machine,vcpu,dsm,node-agent,coordinator,lab,cli,bench}/src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The run gets its own TMPDIR and fails if a test leaves unum-* entries in it (test/support/tmp-leftovers.ts).
    globalSetup: ['test/support/tmp-leftovers.ts'],
  },
});
