// The counts behind the results kept up to date response by response (issue #15): each submitted response's
// contribution (its version, band and answers) is kept, so a change is one subtraction and one addition.
// No I/O: the rows come from repositories/results.ts listTallyRows, the cache lives in services/results-cache.ts.
import type { Answer } from './glossary.js';
import { ANSWERS } from './glossary.js';
import type { AnswerCountRow } from './results.js';

/**
 * A submitted response as the database lists it: `answers` is null when the tally already holds this version
 * (the query left its answers out), otherwise every answer as `<measure id><first letter of the answer>`,
 * comma-separated ("101i,102s,103n"; "" for none).
 */
export interface TallyRow {
  id: number;
  version: number;
  /** the participant's band; null for a host city that does not take part */
  bandIndex: number | null;
  isHost: boolean;
  answers: string | null;
}

interface Contribution {
  version: number;
  bandIndex: number | null;
  isHost: boolean;
  answers: string;
}

export interface ResultsTally {
  responses: Map<number, Contribution>;
  /** measure id → counts at [band index × 3 + the answer's index in ANSWERS] */
  cells: Map<number, number[]>;
  bandRespondents: Map<number, number>;
}

const ANSWER_BY_LETTER = new Map<string, number>(ANSWERS.map((a, i) => [a[0], i]));
if (ANSWER_BY_LETTER.size !== ANSWERS.length) throw new Error('answers must differ in their first letter (the tally encodes them by it)');

export function emptyTally(): ResultsTally {
  return { responses: new Map(), cells: new Map(), bandRespondents: new Map() };
}

/** Counted = submitted (every row is), not the host city, and taking part (it has a band). */
const counts = (c: Contribution) => !c.isHost && c.bandIndex !== null;

/** Calls `each` with every (measure id, answer index) of an encoded answer list (a plain loop: the first request reads 360,000). */
function forEachAnswer(answers: string, each: (measureId: number, answerIndex: number) => void): void {
  for (let start = 0; start < answers.length; ) {
    let end = answers.indexOf(',', start);
    if (end === -1) end = answers.length;
    const answerIndex = ANSWER_BY_LETTER.get(answers[end - 1]);
    if (answerIndex === undefined) throw new Error(`unknown answer code in "${answers.slice(start, end)}"`);
    each(Number(answers.slice(start, end - 1)), answerIndex);
    start = end + 1;
  }
}

function add(tally: ResultsTally, c: Contribution, sign: 1 | -1): void {
  if (!counts(c)) return;
  const band = c.bandIndex!;
  tally.bandRespondents.set(band, (tally.bandRespondents.get(band) ?? 0) + sign);
  forEachAnswer(c.answers, (measureId, answerIndex) => {
    let cells = tally.cells.get(measureId);
    if (!cells) tally.cells.set(measureId, (cells = []));
    const i = band * ANSWERS.length + answerIndex;
    cells[i] = (cells[i] ?? 0) + sign;
  });
}

/** Response id → the version the tally holds: the query brings answers only for the others. */
export function knownVersions(tally: ResultsTally): Map<number, number> {
  return new Map([...tally.responses].map(([id, c]) => [id, c.version]));
}

/**
 * Brings the tally to the submitted responses listed now: a new or changed response is added (its old
 * contribution subtracted first), one that moved band is moved, one no longer listed is subtracted.
 * Returns how many responses changed.
 */
export function updateTally(tally: ResultsTally, rows: TallyRow[]): number {
  let changed = 0;
  const listed = new Set<number>();
  for (const row of rows) {
    listed.add(row.id);
    const old = tally.responses.get(row.id);
    if (row.answers === null && old?.version !== row.version) throw new Error(`response ${row.id} came without answers but the tally holds another version`);
    if (old && old.version === row.version && old.bandIndex === row.bandIndex && old.isHost === row.isHost) continue;
    const next: Contribution = { version: row.version, bandIndex: row.bandIndex, isHost: row.isHost, answers: row.answers ?? old!.answers };
    if (old) add(tally, old, -1);
    add(tally, next, 1);
    tally.responses.set(row.id, next);
    changed++;
  }
  for (const [id, old] of tally.responses) {
    if (listed.has(id)) continue;
    add(tally, old, -1);
    tally.responses.delete(id);
    changed++;
  }
  return changed;
}

/** The tally in the shape of the grouped queries (repositories/results.ts), for domain/results.ts buildResults. */
export function tallyCounts(tally: ResultsTally): {
  counts: AnswerCountRow[];
  bandRespondents: Array<{ bandIndex: number; count: number }>;
  hostAnswers: Map<number, Answer> | null;
} {
  const counts: AnswerCountRow[] = [];
  for (const [measureId, cells] of tally.cells) {
    cells.forEach((count, i) => {
      if (count > 0) counts.push({ measureId, bandIndex: Math.floor(i / ANSWERS.length), answer: ANSWERS[i % ANSWERS.length], count });
    });
  }
  const bandRespondents = [...tally.bandRespondents].filter(([, count]) => count > 0).map(([bandIndex, count]) => ({ bandIndex, count }));
  let hostAnswers: Map<number, Answer> | null = null;
  for (const c of tally.responses.values()) {
    if (!c.isHost) continue;
    hostAnswers = new Map();
    forEachAnswer(c.answers, (measureId, i) => hostAnswers!.set(measureId, ANSWERS[i]));
  }
  return { counts, bandRespondents, hostAnswers };
}
