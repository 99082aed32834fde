// Generated bad input on the answer forms (respondent form, its Excel upload, the organiser's keyed-in answers):
// FUZZ_RUNS forms per route (default 100; CI also runs 1,000), each with a valid session and CSRF token.
// This file builds its own app and data (support/form-fuzz-world.ts), so it does not depend on any other file.
import { expect, it } from 'vitest';
import { FUZZ_RUNS } from './support/fuzz-runs.js';
import { describeFormFuzz, FORM_FUZZ_AREAS, formPostRoutesOfApp, formRoutes } from './support/form-fuzz-world.js';

describeFormFuzz('answers', FUZZ_RUNS, () => {
  it('the form fuzz files together cover every form POST route the site has', () => {
    const routes = Object.keys(formRoutes()).sort();
    expect(formPostRoutesOfApp()).toEqual(routes);
    expect([...Object.values(FORM_FUZZ_AREAS).flat()].sort()).toEqual(routes);
  });
});
