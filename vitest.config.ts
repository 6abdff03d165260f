import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // e2e files spawn real processes; a couple in parallel keeps the 2-core machine busy, not thrashing.
    maxWorkers: 3,
    reporters: ['default'],
  },
});
