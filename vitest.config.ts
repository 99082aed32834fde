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
    // Files share a worker's loaded modules instead of importing the whole app again for each file (the import was a
    // third of the suite's time). Safe because no module keeps state across apps: every cache lives on its app
    // instance (app.surveyDefinitions, app.resultsCache …), each file builds its own app and database, and no test
    // mocks modules or writes process.env.
    isolate: false,
    maxWorkers: 2,
    sequence: { sequencer: SlowFirstSequencer },
    // Under CI a JSON report is written too, so .ci/run can print a plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: process.env.CI ? { json: process.env.VITEST_JSON_REPORT ?? 'test-results/vitest.json' } : undefined,
  },
});
