// How large an uploaded workbook may be, derived from what it has to hold: the 調査票 from its own layout
// (questionnaire.ts writes 31 rows plus one per measure, in columns A–D, with 11 merges, a print area and print titles),
// the roster from the number of cities a survey can have. Anything bigger is refused before it is parsed.
import { MAX_UNCOMPRESSED_BYTES } from './upload-guard.js';
import { ROSTER_MAX_COLUMNS, ROSTER_MAX_ROWS } from '../server/domain/roster-import.js';
import { QUESTION_GROUPS } from './questionnaire-layout.js';
import type { WorkbookLimits } from './xlsx-scan.js';

/** The rows questionnaire.ts writes: 7 on top, each group's heading, questions and a gap, 市名, the measure heading and header, the measures, a gap and the closing line. */
export function questionnaireRows(measureCount: number): number {
  const groups = QUESTION_GROUPS.reduce((n, g) => n + g.questions.length + 2, 0);
  return 7 + groups + 1 + 2 + measureCount + 2;
}

/** The layout's own size with room for what a person may add (notes beside or below, a copied row). */
export function questionnaireLimits(measureCount: number): WorkbookLimits {
  const maxRow = questionnaireRows(measureCount) + 100;
  const maxColumn = 26; // the layout uses A–D; Z leaves room for notes
  const usedCells = maxRow * maxColumn;
  return {
    label: '調査票',
    advice: '回答画面から調査票をダウンロードし直し、回答欄（黄色のセル）だけに記入してアップロードしてください。',
    maxSheets: 10,
    maxRow,
    maxColumn,
    maxCells: usedCells,
    maxMerges: 200,
    maxMergedCells: maxRow * 8,
    maxValidatedCells: usedCells,
    maxDefinedNames: 50,
    maxDefinedNameCells: usedCells,
    maxSharedStrings: usedCells,
    maxUncompressedBytes: 10 * 1024 * 1024,
  };
}

/** The roster's caps: a header and ROSTER_MAX_ROWS rows of up to ROSTER_MAX_COLUMNS columns (server/domain/roster-import.ts). */
export const ROSTER_LIMITS: WorkbookLimits = {
  label: '名簿ファイル',
  advice: '見出しの行と団体の行だけを残したシートを、.xlsx または CSV で保存し直してください。',
  maxSheets: 20,
  maxRow: ROSTER_MAX_ROWS + 1,
  maxColumn: ROSTER_MAX_COLUMNS,
  maxCells: (ROSTER_MAX_ROWS + 1) * ROSTER_MAX_COLUMNS,
  maxMerges: 1_000,
  maxMergedCells: (ROSTER_MAX_ROWS + 1) * ROSTER_MAX_COLUMNS,
  maxValidatedCells: (ROSTER_MAX_ROWS + 1) * ROSTER_MAX_COLUMNS,
  maxDefinedNames: 100,
  maxDefinedNameCells: (ROSTER_MAX_ROWS + 1) * ROSTER_MAX_COLUMNS,
  maxSharedStrings: (ROSTER_MAX_ROWS + 1) * ROSTER_MAX_COLUMNS,
  maxUncompressedBytes: MAX_UNCOMPRESSED_BYTES,
};
