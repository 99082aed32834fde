// How many generated inputs each property/fuzz test tries: FUZZ_RUNS (a positive integer), 100 by default so
// `npm test` stays quick; .ci/run repeats the fuzz files with FUZZ_RUNS=1000.
const DEFAULT_FUZZ_RUNS = 100;

export function fuzzRuns(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_FUZZ_RUNS;
  const runs = Number(value);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`FUZZ_RUNS must be a positive integer, got "${value}"`);
  return runs;
}

export const FUZZ_RUNS = fuzzRuns(process.env.FUZZ_RUNS);
