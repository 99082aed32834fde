// FUZZ_RUNS, the number of generated inputs per fuzz route: a few hundred by default, any positive whole
// number when set (CI sets 1000), and a typo stops the run instead of silently fuzzing less.
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from './support/fuzz-runs.js';

describe('FUZZ_RUNS', () => {
  it('is 100 when unset or empty, and the number given otherwise', () => {
    expect(fuzzRuns(undefined)).toBe(100);
    expect(fuzzRuns('')).toBe(100);
    expect(fuzzRuns('1000')).toBe(1000);
    expect(fuzzRuns(' 5 ')).toBe(5);
  });

  it('refuses a value that is not a positive whole number, naming it', () => {
    for (const bad of ['0', '-1', '1.5', 'abc', '1e3x']) expect(() => fuzzRuns(bad), bad).toThrow(`"${bad}"`);
  });
});
