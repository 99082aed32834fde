import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './test/support/slow-first-sequencer.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Once per run: PGlite snapshots (migrated, and seeded) that every file's database starts from.
    globalSetup: ['test/support/pglite-snapshot.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Each file builds its own database (an in-memory PGlite, or its own PostgreSQL schema).
    fileParallelism: true,
    maxWorkers: 2,
    sequence: { sequencer: SlowFirstSequencer },
    // Under CI a JSON report is written too, so .ci/run can print a plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: process.env.CI ? { json: process.env.VITEST_JSON_REPORT ?? 'test-results/vitest.json' } : undefined,
  },
});
