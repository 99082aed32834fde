// A filled 調査票.xlsx coming back: refuse anything that is not our questionnaire for this survey and city,
// report every problem by sheet and cell, show what would change, and save it as the city's draft.
import type { Db } from '../db/database.js';
import { DomainError, type FieldError, unprocessable } from '../domain/errors.js';
import { normaliseResponse, type ResponseAnswers } from '../domain/response.js';
import { differences } from '../domain/response-fields.js';
import type { ParsedQuestionnaire } from '../../exports/questionnaire-parse.js';
import { FORMAT_ID, META_SHEET, QUESTIONNAIRE_SHEET } from '../../exports/questionnaire-layout.js';
import { questionnaireLimits } from '../../exports/workbook-limits.js';
import { scanXlsx } from '../../exports/xlsx-scan.js';
import { SandboxError } from '../lib/sandbox.js';
import { readInSandbox } from '../lib/untrusted-workbook.js';
import { UNREADABLE } from '../workers/questionnaire-parse.js';
import type { Actor } from '../repositories/audit.js';
import { listMeasures } from '../repositories/surveys.js';
import { conflictError, getResponse, saveResponse } from './responses.js';
import { signatureMatches } from './workbooks.js';

export interface Change {
  path: string;
  /** where it came from, e.g. 調査票!D30 */
  cell: string;
  label: string;
  before: string;
  after: string;
}

export interface ImportResult {
  status: 'not_started' | 'draft' | 'submitted';
  version: number;
  saved: boolean;
  changed: Change[];
}

const refuse = (message: string, path = '/') => unprocessable(message, [{ path, message }]);

const NOT_XLSX = 'Excel ブック（.xlsx）ではありません。調査票をダウンロードし、Excel 形式（.xlsx）のまま保存したファイルを送ってください。';
const NOT_OURS = 'このファイルはこのシステムの調査票ではありません。回答画面から調査票（Excel）をダウンロードして記入してください。';
const OTHER_SURVEY = 'この調査票は別の調査または別の団体のものです。この団体の回答画面から調査票をダウンロードし直してください。';
const BAD_SIGNATURE = 'この調査票の識別情報が正しくありません（このシステムで作成した調査票ではないか、識別情報が変更されています）。';
const PARSER = new URL('../workers/questionnaire-parse.ts', import.meta.url);

/**
 * The uploaded 調査票 read back, in three steps so that a hostile file costs little: the package's XML is
 * scanned against the layout's caps, the hidden 管理情報 sheet (survey, city, signature) is checked from the
 * raw XML, and only then exceljs reads it, in a sandboxed worker.
 */
async function readQuestionnaire(
  body: unknown,
  args: { surveyId: number; cityCode: string; secret: string },
  measures: Array<{ code: string; label: string }>,
): Promise<ParsedQuestionnaire & { version: number | undefined }> {
  if (!Buffer.isBuffer(body)) throw refuse('Excel ブック（.xlsx）を本文として送ってください（Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet）');
  const scan = await scanXlsx(body, questionnaireLimits(measures.length), { readSheet: META_SHEET });
  if (scan.problem?.kind === 'too-large') throw new DomainError(413, 'PAYLOAD_TOO_LARGE', scan.problem.message);
  if (scan.problem?.kind === 'not-xlsx') throw refuse(NOT_XLSX);
  if (scan.problem) throw refuse(scan.problem.message, scan.problem.path);

  const meta: Record<string, string> = {};
  for (let row = 1; row <= 20; row++) if (scan.cells[`A${row}`]) meta[scan.cells[`A${row}`].trim()] = (scan.cells[`B${row}`] ?? '').trim();
  if (!scan.sheetNames.includes(QUESTIONNAIRE_SHEET)) throw refuse(NOT_OURS, QUESTIONNAIRE_SHEET);
  if (meta.format !== FORMAT_ID) throw refuse(NOT_OURS, `${META_SHEET}!B1`);
  if (meta.surveyId !== String(args.surveyId) || meta.cityCode !== args.cityCode) throw refuse(OTHER_SURVEY, `${META_SHEET}!B2`);
  const version = /^[0-9]{1,9}$/.test(meta.version ?? '') ? Number(meta.version) : undefined;
  if (!signatureMatches(args.secret, args.surveyId, args.cityCode, meta.signature ?? null, version)) throw refuse(BAD_SIGNATURE, `${META_SHEET}!B4`);

  try {
    return { ...(await readInSandbox<ParsedQuestionnaire>(PARSER, body, { measures })), version };
  } catch (err) {
    if (!(err instanceof SandboxError)) throw err;
    if (err.reason === 'failed' && err.message === UNREADABLE) throw refuse('Excel ブックとして読み込めませんでした。ファイルが壊れていないか確認してください。');
    throw refuse(`この調査票は読み込みに時間またはメモリがかかりすぎるため、受け付けられません（${err.message}）。回答画面から調査票をダウンロードし直し、回答欄だけに記入してください。`, QUESTIONNAIRE_SHEET);
  }
}

/** What the workbook would change, field by field (domain/response-fields.ts), with the cell each came from. */
function diff(before: ResponseAnswers, after: ResponseAnswers, measures: Array<{ code: string; label: string }>, cells: Record<string, string>): Change[] {
  return differences(before, after, measures).map((d) => ({ path: d.path, cell: cells[d.path] ?? '', label: d.label, before: d.before, after: d.after }));
}

export async function importQuestionnaire(
  db: Db,
  args: { surveyId: number; cityCode: string; body: unknown; dryRun: boolean; actor: Actor; secret: string; expectedVersion?: number; now: Date; reason?: string },
): Promise<ImportResult> {
  const measures = (await listMeasures(db, args.surveyId)).map((m) => ({ code: m.code, label: m.label }));
  const parsed = await readQuestionnaire(args.body, args, measures);
  // exceljs's reading of 管理情報 must agree with the raw XML's (checked above).
  if (parsed.surveyId === null && parsed.errors.length > 0) throw unprocessable(parsed.errors[0].message, parsed.errors);
  if (parsed.surveyId !== args.surveyId || parsed.cityCode !== args.cityCode) throw refuse(OTHER_SURVEY, `${META_SHEET}!B2`);
  if (!signatureMatches(args.secret, args.surveyId, args.cityCode, parsed.signature, parsed.version)) throw refuse(BAD_SIGNATURE, `${META_SHEET}!B4`);

  const current = await getResponse(db, args.surveyId, args.cityCode);
  // Every problem in one pass: the sheet's own (a choice not in the list) and the values' (a year, a cycle).
  const { answers, errors } = normaliseResponse(parsed.input, current.model, measures);
  const byCell: FieldError[] = errors.map((e) => {
    const ref = parsed.cells[e.path];
    return ref ? { path: ref, message: `${ref}: ${e.message}` } : e;
  });
  const problems = [...parsed.errors, ...byCell.filter((e) => !parsed.errors.some((p) => p.path === e.path))];
  if (problems.length > 0) throw unprocessable(`調査票に誤りがあります（${problems.length} 件）。何も保存していません`, problems);

  // Made from an older download: saving it would silently undo what was saved since.
  if (parsed.version !== undefined && parsed.version !== current.version) {
    const since = diff(current.model, answers, measures, parsed.cells);
    throw new DomainError(
      409,
      'CONFLICT',
      `この調査票は、回答の版 ${parsed.version} の時点でダウンロードしたものですが、その後に回答が保存されています（現在の版: ${current.version}）。` +
        'このまま取り込むと、その後の変更が元に戻ってしまうため、取り込みませんでした。回答画面から調査票をダウンロードし直して、記入し直してください',
      [
        { path: `${META_SHEET}!B6`, message: `調査票の版 ${parsed.version}、保存されている回答の版 ${current.version}` },
        ...since.map((c) => ({ path: c.cell || c.path, message: `${c.label}: 保存されている回答「${c.before || '未回答'}」、この調査票「${c.after || '未回答'}」` })),
      ],
    );
  }
  // The upload page previews first and confirms later: refuse when someone saved in between.
  if (args.expectedVersion !== undefined && args.expectedVersion !== current.version) throw conflictError(current.version);
  const changed = diff(current.model, answers, measures, parsed.cells);
  // Nothing to change on a response that exists: keep it as it is (a submitted response stays submitted).
  if (args.dryRun || (changed.length === 0 && current.status !== 'not_started')) return { status: current.status, version: current.version, saved: false, changed };
  const saved = await saveResponse(db, { surveyId: args.surveyId, cityCode: args.cityCode, input: parsed.input, expectedVersion: current.version, actor: args.actor, now: args.now, reason: args.reason });
  return { status: saved.status, version: saved.version, saved: true, changed };
}
