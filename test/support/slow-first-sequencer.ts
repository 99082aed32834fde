// Starts the longest test files first, so two workers finish together instead of one long file running alone at
// the end. Vitest does this by itself from its cache of past durations, but a fresh clone (CI) has no cache and
// it then starts the largest files first — and the fuzz files are the smallest. Elsewhere vitest's order is kept.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The files that take longest: generated input, load, SIGTERM (several server starts), the browser. */
const SLOW = /\/(quality-fuzz-[^/]*|quality-load|quality-sigterm|[a-z]+-browser)\.test\.ts$/;

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const slow = (spec: TestSpecification) => SLOW.test(spec.moduleId.replace(/\\/g, '/'));
    return [...sorted.filter(slow), ...sorted.filter((spec) => !slow(spec))];
  }
}
