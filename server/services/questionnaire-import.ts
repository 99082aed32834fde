// A filled 調査票.xlsx coming back: refuse anything that is not our questionnaire for this survey and city,
// report every problem by sheet and cell, show what would change, and save it as the city's draft.
import ExcelJS from 'exceljs';
import type { Db } from '../db/database.js';
import { DomainError, type FieldError, unprocessable } from '../domain/errors.js';
import { normaliseResponse, type ResponseAnswers } from '../domain/response.js';
import { answerLabel, disclosureLabel, latestNumberLabel, nextPlanLabel } from '../../exports/format.js';
import { parseQuestionnaire } from '../../exports/questionnaire-parse.js';
import { META_SHEET } from '../../exports/questionnaire-layout.js';
import { checkXlsxUpload } from '../../exports/upload-guard.js';
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

async function loadWorkbook(body: unknown): Promise<ExcelJS.Workbook> {
  if (!Buffer.isBuffer(body)) throw refuse('Excel ブック（.xlsx）を本文として送ってください（Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet）');
  const problem = await checkXlsxUpload(body);
  if (problem?.kind === 'too-large') throw new DomainError(413, 'PAYLOAD_TOO_LARGE', problem.message);
  if (problem) throw refuse(problem.message);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(body as unknown as ArrayBuffer);
  } catch {
    throw refuse('Excel ブックとして読み込めませんでした。ファイルが壊れていないか確認してください');
  }
  return wb;
}

type Field = { path: string; label: string; show: (a: ResponseAnswers) => string };
const FIELDS: Field[] = [
  { path: '/contact/department', label: '担当部署', show: (a) => a.contact.department },
  { path: '/contact/personKana', label: '担当者名（カナ）', show: (a) => a.contact.personKana },
  { path: '/contact/phone', label: '電話番号（直通）', show: (a) => a.contact.phone },
  { path: '/contact/email', label: 'メールアドレス（所属）', show: (a) => a.contact.email },
  { path: '/plan/hasPlan', label: '情報化計画の策定', show: (a) => (a.plan.hasPlan === null ? '' : a.plan.hasPlan ? '計画あり' : '計画なし') },
  { path: '/plan/name', label: '計画名称', show: (a) => a.plan.name },
  { path: '/plan/latestNumber', label: '最新番号', show: (a) => latestNumberLabel(a.plan.latestNumber) },
  { path: '/plan/updateCycleYears', label: '更新頻度', show: (a) => (a.plan.updateCycleIrregular ? '不定期' : a.plan.updateCycleYears ? `${a.plan.updateCycleYears}年` : '') },
  { path: '/plan/periodStart', label: '計画期間（開始年度）', show: (a) => (a.plan.periodStart ? `${a.plan.periodStart}年度` : '') },
  { path: '/plan/periodEnd', label: '計画期間（終了年度）', show: (a) => (a.plan.periodEnd ? `${a.plan.periodEnd}年度` : '') },
  { path: '/plan/nextPlan', label: '次期計画', show: (a) => nextPlanLabel(a.plan.nextPlan) },
  { path: '/plan/notes', label: '備考', show: (a) => a.plan.notes },
  { path: '/disclosure', label: '調査結果の取扱い', show: (a) => disclosureLabel(a.disclosure) },
];

function diff(before: ResponseAnswers, after: ResponseAnswers, measures: Array<{ code: string; label: string }>, cells: Record<string, string>): Change[] {
  const fields: Field[] = [
    ...FIELDS,
    ...measures.map((m) => ({ path: `/measures/${m.code}`, label: m.label, show: (a: ResponseAnswers) => answerLabel(a.measures[m.code]) })),
  ];
  return fields
    .map((f) => ({ path: f.path, cell: cells[f.path] ?? '', label: f.label, before: f.show(before), after: f.show(after) }))
    .filter((c) => c.before !== c.after);
}

export async function importQuestionnaire(
  db: Db,
  args: { surveyId: number; cityCode: string; body: unknown; dryRun: boolean; actor: Actor; secret: string; expectedVersion?: number; now: Date },
): Promise<ImportResult> {
  const wb = await loadWorkbook(args.body);
  const measures = (await listMeasures(db, args.surveyId)).map((m) => ({ code: m.code, label: m.label }));
  const parsed = parseQuestionnaire(wb, measures);
  if (parsed.surveyId === null && parsed.errors.length > 0) throw unprocessable(parsed.errors[0].message, parsed.errors);
  if (parsed.surveyId !== args.surveyId || parsed.cityCode !== args.cityCode) {
    throw refuse('この調査票は別の調査または別の団体のものです。この団体の回答画面から調査票をダウンロードし直してください', `${META_SHEET}!B2`);
  }
  if (!signatureMatches(args.secret, args.surveyId, args.cityCode, parsed.signature)) {
    throw refuse('この調査票の識別情報が正しくありません（このシステムで作成した調査票ではないか、識別情報が変更されています）', `${META_SHEET}!B4`);
  }
  if (parsed.errors.length > 0) throw unprocessable(`調査票に誤りがあります（${parsed.errors.length} 件）。何も保存していません`, parsed.errors);

  const current = await getResponse(db, args.surveyId, args.cityCode);
  // The upload page previews first and confirms later: refuse when someone saved in between.
  if (args.expectedVersion !== undefined && args.expectedVersion !== current.version) throw conflictError(current.version);
  const { answers, errors } = normaliseResponse(parsed.input, current.model, measures);
  if (errors.length > 0) {
    const byCell: FieldError[] = errors.map((e) => {
      const ref = parsed.cells[e.path];
      return ref ? { path: ref, message: `${ref}: ${e.message}` } : e;
    });
    throw unprocessable(`調査票に誤りがあります（${byCell.length} 件）。何も保存していません`, byCell);
  }
  const changed = diff(current.model, answers, measures, parsed.cells);
  // Nothing to change on a response that exists: keep it as it is (a submitted response stays submitted).
  if (args.dryRun || (changed.length === 0 && current.status !== 'not_started')) return { status: current.status, version: current.version, saved: false, changed };
  const saved = await saveResponse(db, { surveyId: args.surveyId, cityCode: args.cityCode, input: parsed.input, expectedVersion: current.version, actor: args.actor, now: args.now });
  return { status: saved.status, version: saved.version, saved: true, changed };
}
