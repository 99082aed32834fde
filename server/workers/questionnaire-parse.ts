// Sandboxed task (server/lib/sandbox.ts): opens an uploaded 調査票 with exceljs and reads its answers.
// Runs only in a worker with a heap and time limit, after exports/xlsx-scan.ts has checked the package.
import ExcelJS from 'exceljs';
import { type ParsedQuestionnaire, parseQuestionnaire } from '../../exports/questionnaire-parse.js';

export interface QuestionnaireParseInput {
  workbook: Uint8Array;
  measures: Array<{ code: string; label: string }>;
}

export const UNREADABLE = 'unreadable';

export default async function parseUploadedQuestionnaire(input: QuestionnaireParseInput): Promise<ParsedQuestionnaire> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(input.workbook.buffer, input.workbook.byteOffset, input.workbook.byteLength) as unknown as ArrayBuffer);
  } catch {
    throw new Error(UNREADABLE);
  }
  return parseQuestionnaire(wb, input.measures);
}
