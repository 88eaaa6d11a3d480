import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Tests bind loopback fakes and SQLite files; forks keep native modules isolated per file.
    pool: 'forks',
    // Vitest's default (cores − 1) runs one file at a time on 2 cores; most slow files wait on child processes
    // and paced fakes rather than the CPU, so one worker per core halves the suite there.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
