// Generated bad input on the organiser's mail forms (invitations, retrying a failed mail, mail texts, reminders, results notice):
// FUZZ_RUNS forms per route (default 100; CI also runs 1,000), each with a valid session and CSRF token.
// This file builds its own app and data (support/form-fuzz-world.ts), so it does not depend on any other file.
import { FUZZ_RUNS } from './support/fuzz-runs.js';
import { describeFormFuzz } from './support/form-fuzz-world.js';

describeFormFuzz('mail', FUZZ_RUNS);
