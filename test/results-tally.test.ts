// domain/results-tally.ts without a database: responses added, changed, moved to another band and gone again,
// with the counts written out by hand.
import { describe, expect, it } from 'vitest';
import { emptyTally, knownVersions, tallyCounts, type TallyRow, updateTally } from '../server/domain/results-tally.js';

const A: TallyRow = { id: 1, version: 1, bandIndex: 0, isHost: false, answers: '10i,11s' };
const B: TallyRow = { id: 2, version: 3, bandIndex: 1, isHost: false, answers: '10n,11i,12i' };
const HOST_ROW: TallyRow = { id: 3, version: 1, bandIndex: 2, isHost: true, answers: '10s' };

/** The counts in a stable order, as "measure/band/answer=count". */
function countsOf(rows: ReturnType<typeof tallyCounts>['counts']): string[] {
  return rows.map((r) => `${r.measureId}/${r.bandIndex}/${r.answer}=${r.count}`).sort();
}

describe('the results tally', () => {
  it('counts each submitted response once in its band, and the host city only as its own answers', () => {
    const tally = emptyTally();
    expect(updateTally(tally, [A, B, HOST_ROW])).toBe(3);
    const c = tallyCounts(tally);
    expect(countsOf(c.counts)).toEqual(['10/0/implemented=1', '10/1/none=1', '11/0/studying=1', '11/1/implemented=1', '12/1/implemented=1']);
    expect(c.bandRespondents.sort((x, y) => x.bandIndex - y.bandIndex)).toEqual([
      { bandIndex: 0, count: 1 },
      { bandIndex: 1, count: 1 },
    ]);
    expect(c.hostAnswers).toEqual(new Map([[10, 'studying']]));
  });

  it('replaces a changed response, moves one whose city changed band, and drops one no longer listed', () => {
    const tally = emptyTally();
    updateTally(tally, [A, B]);
    expect(knownVersions(tally)).toEqual(new Map([[1, 1], [2, 3]]));

    // A submitted again (measure 11 cleared); B unchanged, so listed without its answers
    expect(updateTally(tally, [{ ...A, version: 2, answers: '10s' }, { ...B, answers: null }])).toBe(1);
    expect(countsOf(tallyCounts(tally).counts)).toEqual(['10/0/studying=1', '10/1/none=1', '11/1/implemented=1', '12/1/implemented=1']);

    // B's city moved to band 0 (new band limits): same version, same answers
    expect(updateTally(tally, [{ ...A, version: 2, answers: null }, { ...B, bandIndex: 0, answers: null }])).toBe(1);
    expect(countsOf(tallyCounts(tally).counts)).toEqual(['10/0/none=1', '10/0/studying=1', '11/0/implemented=1', '12/0/implemented=1']);
    expect(tallyCounts(tally).bandRespondents).toEqual([{ bandIndex: 0, count: 2 }]);

    // A's city left the survey
    expect(updateTally(tally, [{ ...B, bandIndex: 0, answers: null }])).toBe(1);
    expect(countsOf(tallyCounts(tally).counts)).toEqual(['10/0/none=1', '11/0/implemented=1', '12/0/implemented=1']);
    expect(tallyCounts(tally).hostAnswers).toBeNull();
  });

  it('counts a submitted response without answers as a respondent', () => {
    const tally = emptyTally();
    updateTally(tally, [{ ...A, answers: '' }]);
    expect(tallyCounts(tally)).toEqual({ counts: [], bandRespondents: [{ bandIndex: 0, count: 1 }], hostAnswers: null });
  });

  it('refuses a row without answers for a version it does not hold', () => {
    const tally = emptyTally();
    updateTally(tally, [A]);
    expect(() => updateTally(tally, [{ ...A, version: 2, answers: null }])).toThrow(/another version/);
    expect(() => updateTally(emptyTally(), [{ ...A, answers: '10x' }])).toThrow(/unknown answer code/);
  });
});
