// The results of a survey (services/results.ts) kept per survey and results data version
// (repositories/data-version.ts): repeated views of unchanged data cost one small query. After a change the counts
// are brought up to date response by response (domain/results-tally.ts): one query lists the submitted responses'
// (id, version, band) by index and brings the answers of only those whose version the tally does not hold, instead
// of the grouped count over every answer (about 0.4–0.6 s for 1,800 × 200 on PGlite). Everything is read from the
// database on every request, so a save or a change through another instance is seen at once; a change of anything
// else the results show (measures, the survey row, the earlier round) starts the tally again from nothing.
import type { Db } from '../db/database.js';
import { emptyTally, knownVersions, type ResultsTally, tallyCounts, updateTally } from '../domain/results-tally.js';
import type { SurveyResults } from '../domain/results.js';
import { resultsDataVersions } from '../repositories/data-version.js';
import { listTallyRows } from '../repositories/results.js';
import { type ComputeResultsOptions, loadResultsFrame, type ResultsFrame, resultsFrom } from './results.js';

const MAX_ENTRIES = 32;
const MAX_TALLIES = 8;

declare module 'fastify' {
  interface FastifyInstance {
    /** one per app (decorated in app.ts) */
    resultsCache: ResultsCache;
  }
}

/** Shared between requests: frozen, so that a caller that changed it would fail at once instead of changing others' */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** A survey's tally and frames, valid while the structure version (repositories/data-version.ts) stays the same. */
interface SurveyTally {
  structure: string;
  tally: ResultsTally;
  /** by includeRetired */
  frames: Map<boolean, ResultsFrame>;
}

export class ResultsCache {
  private readonly entries = new Map<string, SurveyResults>();
  private readonly tallies = new Map<number, SurveyTally>();
  /** per survey, the update of its tally in progress: updates of one tally run one after the other */
  private readonly updating = new Map<number, Promise<unknown>>();
  /** how many times the results were computed (not served from the cache): tests and the bench read it */
  computed = 0;
  /** how many times a tally was started from nothing (all answers read) */
  fullRecounts = 0;
  /** how many responses' contributions were added, changed or subtracted (tests and the bench read it) */
  responsesRecounted = 0;

  /**
   * The results as computeResults() gives them; shared between requests, so never to be modified. `db` is the app's
   * database, not a transaction: a tally that saw a transaction's uncommitted version of a response would keep it
   * after a rollback, and a later save reaches the same version number with other answers.
   */
  async get(db: Db, surveyId: number, opts: ComputeResultsOptions = {}): Promise<SurveyResults> {
    const prefix = `${surveyId}\u0000${opts.includeRetired ? 1 : 0}\u0000`;
    const versions = await resultsDataVersions(db, surveyId);
    const key = prefix + versions.data;
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const results = deepFreeze(await this.oneAtATime(surveyId, () => this.compute(db, surveyId, opts, versions.structure)));
    this.computed++;
    for (const old of this.entries.keys()) if (old.startsWith(prefix)) this.entries.delete(old);
    this.entries.set(key, results);
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return results;
  }

  private async compute(db: Db, surveyId: number, opts: ComputeResultsOptions, structure: string): Promise<SurveyResults> {
    let entry = this.tallies.get(surveyId);
    if (!entry || entry.structure !== structure) {
      entry = { structure, tally: emptyTally(), frames: new Map() };
      this.fullRecounts++;
    }
    this.tallies.delete(surveyId);
    this.tallies.set(surveyId, entry);
    while (this.tallies.size > MAX_TALLIES) this.tallies.delete(this.tallies.keys().next().value!);

    try {
      const includeRetired = opts.includeRetired ?? false;
      let frame = entry.frames.get(includeRetired);
      if (!frame) entry.frames.set(includeRetired, (frame = await loadResultsFrame(db, surveyId, opts)));
      const rows = await listTallyRows(db, surveyId, knownVersions(entry.tally));
      this.responsesRecounted += updateTally(entry.tally, rows);
      return resultsFrom(frame, tallyCounts(entry.tally));
    } catch (err) {
      // a tally left half-updated is never used again: the next request starts from nothing
      this.tallies.delete(surveyId);
      throw err;
    }
  }

  private async oneAtATime<T>(surveyId: number, fn: () => Promise<T>): Promise<T> {
    const before = this.updating.get(surveyId) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const settled = run.catch(() => undefined);
    this.updating.set(surveyId, settled);
    try {
      return await run;
    } finally {
      if (this.updating.get(surveyId) === settled) this.updating.delete(surveyId);
    }
  }
}
