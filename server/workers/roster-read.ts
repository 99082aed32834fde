// Sandboxed task (server/lib/sandbox.ts): the first sheet of an uploaded roster .xlsx as rows of text.
// Runs only in a worker with a heap and time limit, after exports/xlsx-scan.ts has checked the package.
import { readXlsx } from '../lib/roster-file.js';

export default async function readUploadedRoster(input: { workbook: Uint8Array }): Promise<string[][]> {
  return readXlsx(input.workbook);
}
