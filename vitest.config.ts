import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Vitest's default on a 2-core machine is one worker (cores - 1), which
    // leaves a core idle while most tests run single-threaded (workers: 0).
    maxWorkers: 2,
    // Files share their worker's module cache instead of re-importing the CLI,
    // engine, DuckDB and vega per file (12 light files: 8.2 -> 6.6 s CPU). Safe
    // because tests keep no state in modules: the in-process CLI helper restores
    // stdout, stderr, env and process.exitCode after each call.
    isolate: false,
  },
});
