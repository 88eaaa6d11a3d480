import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Tests bind loopback fakes and SQLite files; forks keep native modules out of worker threads.
    pool: 'forks',
    // Each worker runs its files one after another in one process instead of a fresh one per file: the files
    // share no global state (no module mocks, fake timers, env or global dispatchers; every fake and store is
    // made and closed by its test), and a fresh process per file cost ~0.5 s each, a third of the suite.
    isolate: false,
    // Vitest's default (cores − 1) runs one file at a time on 2 cores; most slow files wait on child processes
    // and paced fakes rather than the CPU, so one worker per core halves the suite there.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
