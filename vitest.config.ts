import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // e2e files spawn real processes and keep both cores busy by themselves: on 2 CPUs, 2 workers
    // ran the suite in 164 s wall / 306 CPU-s against 3 workers' 172 s / 342 (one run each, the
    // machine shared with other work): a third file at once only adds contention.
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      // Pure tests (no module state, no env changes): one worker runs several files, without a fresh process and module graph for each.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false } },
      { extends: true, test: { name: 'rest', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], exclude: ['test/unit/**'] } },
    ],
  },
});
