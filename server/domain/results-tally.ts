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

/** implemented, studying, none: the index of each count in a cell */
type Cell = [number, number, number];

export interface ResultsTally {
  responses: Map<number, Contribution>;
  /** measure id → band index → counts per answer (ANSWERS order) */
  cells: Map<number, Map<number, Cell>>;
  bandRespondents: Map<number, number>;
}

const ANSWER_BY_LETTER = new Map<string, number>(ANSWERS.map((a, i) => [a[0], i]));
if (ANSWER_BY_LETTER.size !== ANSWERS.length) throw new Error('answers must differ in their first letter (the tally encodes them by it)');

export function emptyTally(): ResultsTally {
  return { responses: new Map(), cells: new Map(), bandRespondents: new Map() };
}

/** Counted = submitted (every row is), not the host city, and taking part (it has a band). */
const counts = (c: Contribution) => !c.isHost && c.bandIndex !== null;

function* decode(answers: string): Generator<[measureId: number, answerIndex: number]> {
  if (answers === '') return;
  for (const item of answers.split(',')) {
    const answerIndex = ANSWER_BY_LETTER.get(item[item.length - 1]);
    if (answerIndex === undefined) throw new Error(`unknown answer code in "${item}"`);
    yield [Number(item.slice(0, -1)), answerIndex];
  }
}

function add(tally: ResultsTally, c: Contribution, sign: 1 | -1): void {
  if (!counts(c)) return;
  const band = c.bandIndex!;
  tally.bandRespondents.set(band, (tally.bandRespondents.get(band) ?? 0) + sign);
  for (const [measureId, answerIndex] of decode(c.answers)) {
    let byBand = tally.cells.get(measureId);
    if (!byBand) tally.cells.set(measureId, (byBand = new Map()));
    let cell = byBand.get(band);
    if (!cell) byBand.set(band, (cell = [0, 0, 0]));
    cell[answerIndex] += sign;
  }
}

/** The (id, version) pairs the tally holds: the query returns answers only for the others. */
export function knownVersions(tally: ResultsTally): { ids: number[]; versions: number[] } {
  const ids: number[] = [];
  const versions: number[] = [];
  for (const [id, c] of tally.responses) {
    ids.push(id);
    versions.push(c.version);
  }
  return { ids, versions };
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
  for (const [measureId, byBand] of tally.cells) {
    for (const [bandIndex, cell] of byBand) {
      cell.forEach((count, i) => {
        if (count > 0) counts.push({ measureId, bandIndex, answer: ANSWERS[i], count });
      });
    }
  }
  const bandRespondents = [...tally.bandRespondents].filter(([, count]) => count > 0).map(([bandIndex, count]) => ({ bandIndex, count }));
  let hostAnswers: Map<number, Answer> | null = null;
  for (const c of tally.responses.values()) {
    if (c.isHost) hostAnswers = new Map([...decode(c.answers)].map(([measureId, i]) => [measureId, ANSWERS[i]]));
  }
  return { counts, bandRespondents, hostAnswers };
}
