// Generated bad input on the roster, account and session forms (roster edit and import, accounts, logout, login):
// FUZZ_RUNS forms per route (default 200; CI also runs 1,000), each with a valid session and CSRF token.
// This file builds its own app and data (support/form-fuzz-world.ts), so it does not depend on any other file.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { FUZZ_RUNS } from './support/fuzz-runs.js';
import { closeFormFuzz, FORM_FUZZ_AREAS, fuzzFormRoute, setUpFormFuzz } from './support/form-fuzz-world.js';

beforeAll(setUpFormFuzz, 120_000);
afterAll(closeFormFuzz);

describe('generated bad input on the accounts forms', () => {
  it.each(FORM_FUZZ_AREAS.accounts)(`POST %s: ${FUZZ_RUNS} generated forms with a valid session and CSRF token, never a 5xx, stored data still valid`, async (path) => {
    await fuzzFormRoute(path, FUZZ_RUNS);
  }, 600_000);
});
