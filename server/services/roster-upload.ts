// An uploaded roster file read without letting it hurt the server: an .xlsx is scanned against the roster's
// caps (rows, columns, merges, names, validations) and then read by exceljs in the sandbox; a CSV is bounded
// by rows and columns while it is parsed (domain/roster-import.ts).
import { ROSTER_LIMITS } from '../../exports/workbook-limits.js';
import { scanXlsx } from '../../exports/xlsx-scan.js';
import { RosterFileProblem, type RosterImport } from '../domain/roster-import.js';
import { readRosterFile } from '../lib/roster-file.js';
import { SandboxError } from '../lib/sandbox.js';
import { readInSandbox } from '../lib/untrusted-workbook.js';

const READER = new URL('../workers/roster-read.ts', import.meta.url);

async function readUploadedWorkbook(bytes: Uint8Array): Promise<string[][]> {
  const scan = await scanXlsx(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), ROSTER_LIMITS);
  if (scan.problem?.kind === 'not-xlsx') throw new RosterFileProblem('Excel ファイル（.xlsx）として読み取れませんでした。');
  if (scan.problem) throw new RosterFileProblem(scan.problem.message);
  try {
    return await readInSandbox<string[][]>(READER, bytes);
  } catch (err) {
    if (err instanceof SandboxError && err.reason !== 'failed') {
      throw new RosterFileProblem(`名簿ファイルの読み込みに時間またはメモリがかかりすぎるため、受け付けられません（${err.message}）。見出しの行と団体の行だけを残したシートを、.xlsx または CSV で保存し直してください。`);
    }
    throw err;
  }
}

export function readRosterUpload(filename: string, bytes: Uint8Array): Promise<RosterImport> {
  return readRosterFile(filename, bytes, readUploadedWorkbook);
}
