import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // e2e files spawn real processes; a couple in parallel keeps the 2-core machine busy, not thrashing.
    maxWorkers: 3,
    reporters: ['default'],
    projects: [
      // Pure tests (no module state, no env changes): one worker runs several files, without a fresh process and module graph for each.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false } },
      { extends: true, test: { name: 'rest', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], exclude: ['test/unit/**'] } },
    ],
  },
});
