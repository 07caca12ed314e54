import { defineConfig } from 'vitest/config';

/** Tests share one Redis (see tests/global-setup.ts); 2 workers suit the 2-core CI machine. */
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
