// What the pages show of plan documents: the respondent's panel (files, 提供可否, proposals with evidence),
// the shared plans after publication, and the organisers' library rows. Plain data for Handlebars.
import type { Db } from '../db/database.js';
import type { PlanDocumentRow } from '../db/plan-documents-schema.js';
import { ANSWER_LABELS, NEXT_PLAN_LABELS } from '../domain/glossary.js';
import { formatFiscalYear } from '../domain/wareki.js';
import type { PlanFields } from '../plans/reading/plan-fields.js';
import type { PlanReading } from '../plans/reading/read-plan.js';
import { listLibraryDocuments, listPlanDocuments } from '../repositories/plan-documents.js';
import { listMeasures } from '../repositories/surveys.js';
import { listSharedPlans, PLAN_FIELD_KEYS, type PlanFieldKey, SHAREABLE_LABELS } from './plan-documents.js';

const FIELD_LABELS: Record<PlanFieldKey, string> = {
  name: '計画名称',
  latestNumber: '最新番号',
  periodStart: '計画期間（開始年度）',
  periodEnd: '計画期間（終了年度）',
  updateCycleYears: '更新頻度',
  nextPlan: '次期計画の策定予定',
};

export function sizeLabel(bytes: number): string {
  if (bytes < 1024) return `${bytes} バイト`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function fieldValueLabel(key: PlanFieldKey, value: unknown): string {
  if (key === 'periodStart' || key === 'periodEnd') return formatFiscalYear(value as number);
  if (key === 'updateCycleYears') return `${value}年`;
  if (key === 'nextPlan') return NEXT_PLAN_LABELS[value as keyof typeof NEXT_PLAN_LABELS] ?? String(value);
  return String(value);
}

const short = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max)}…` : text);

export function periodLabel(plan: PlanFields): string {
  const s = plan.periodStart?.value;
  const e = plan.periodEnd?.value;
  return s && e ? `${formatFiscalYear(s)}～${formatFiscalYear(e)}` : '';
}

function docView(doc: Omit<PlanDocumentRow, 'content'>, measureLabels: Map<string, string>) {
  const reading = doc.reading as PlanReading;
  const decisions = doc.decisions ?? {};
  const plan = PLAN_FIELD_KEYS.flatMap((key) => {
    const field = reading.plan[key];
    if (!field) return [];
    const k = `plan.${key}`;
    return [{ key: k, label: FIELD_LABELS[key], value: fieldValueLabel(key, field.value), evidence: field.evidence.map((e) => ({ page: e.page, text: short(e.text) })), decided: decisions[k] }];
  });
  const measures = Object.entries(reading.measures).map(([code, m]) => {
    const k = `measure.${code}`;
    return { key: k, code, label: measureLabels.get(code) ?? code, value: ANSWER_LABELS[m.suggestion], evidence: m.evidence.map((e) => ({ page: e.page, text: short(e.text) })), decided: decisions[k] };
  });
  const open = [...plan, ...measures].filter((p) => !p.decided);
  return {
    id: doc.id,
    fileName: doc.file_name,
    size: sizeLabel(doc.bytes),
    pages: doc.pages,
    shareable: doc.shareable,
    shareableLabel: SHAREABLE_LABELS[doc.shareable],
    warnings: doc.warnings ?? [],
    planProposals: plan.filter((p) => !p.decided),
    measureProposals: measures.filter((p) => !p.decided),
    hasProposals: open.length > 0,
    accepted: [...plan, ...measures].filter((p) => p.decided === 'accepted').length,
    rejected: [...plan, ...measures].filter((p) => p.decided === 'rejected').length,
  };
}

const NOTICES: Record<string, string> = {
  attached: '計画書を添付しました。読み取った内容を確認し、反映する提案を選んでください（選ぶまで回答は変わりません）。',
  removed: '計画書の添付を取り消しました。',
  accepted: '選んだ提案を回答に反映し、一時保存しました。内容を確認してから「回答を送信」を押してください。',
  rejected: '選んだ提案を却下しました。回答は変わっていません。',
  shared: '提供可否を変更しました。',
};
const ERRORS: Record<string, string> = {
  'too-large': 'ファイルが大きすぎます（上限 30 MB）。ファイルを分けるか、圧縮してから添付してください。',
  'no-file': '添付するファイルを選んでください。',
  format: '添付できるのは PDF・Word（.docx）・Excel（.xlsx）・テキスト（.txt、UTF-8）のファイルです。',
  'not-format': 'ファイルの内容が、ファイル名の形式（拡張子）と一致しません。元の形式のまま保存したファイルを添付してください。',
  unreadable: 'ファイルを読み取れませんでした（壊れているか、パスワードで保護されている可能性があります）。',
  closed: 'この調査の回答受付は終了したため、計画書の添付・変更はできません。',
  'no-choice': '反映または却下する提案を 1 つ以上選んでください。',
  conflict: '他の画面で回答が更新されたため、反映できませんでした。最新の回答を確認してから、もう一度選んでください。',
  'no-share': '提供可否（他の回答団体に提供してよい / 照会元のみ）を選んでください。',
  'not-found': 'その計画書は見つかりませんでした（すでに削除された可能性があります）。',
  invalid: '提案の値を回答として保存できませんでした。該当の項目を直接入力してください。',
};

/** The panel; `measures` and `docs` when the caller has already read them (the form page's one query), else read here. */
export async function respondentPlanPanel(
  db: Db,
  args: {
    surveyId: number;
    cityCode: string;
    version: number;
    notice?: string;
    error?: string;
    disclosure?: string | null;
    measures?: Array<{ code: string; label: string }>;
    docs?: Array<Omit<PlanDocumentRow, 'content'>>;
  },
) {
  const measureLabels = new Map((args.measures ?? (await listMeasures(db, args.surveyId))).map((m) => [m.code, m.label]));
  const docs = (args.docs ?? (await listPlanDocuments(db, { surveyId: args.surveyId, cityCode: args.cityCode }))).map((d) => docView(d, measureLabels));
  return {
    docs,
    version: args.version,
    notice: args.notice ? NOTICES[args.notice] : undefined,
    error: args.error ? ERRORS[args.error] : undefined,
    defaultShareable: args.disclosure === 'public' ? 'all' : 'host',
  };
}

export function planErrorCode(err: { statusCode?: number; code?: string; message?: string }): string {
  if (err.statusCode === 404) return 'not-found';
  if (err.statusCode === 400) return err.code === 'VALIDATION' ? 'invalid' : 'no-choice';
  if (err.statusCode === 413) return 'too-large';
  if (err.statusCode === 403) return 'closed';
  if (err.statusCode === 409) return 'conflict';
  if (err.statusCode === 422 && /ではありません/.test(err.message ?? '')) return 'not-format';
  return 'unreadable';
}

/**
 * The library's rows. The plan's name and period are what the city answered (a reading can be wrong); what was read
 * from the document is shown beside them only where it differs, marked as read.
 */
export async function libraryRows(db: Db, surveyId: number) {
  const docs = await listLibraryDocuments(db, surveyId);
  return docs.map((d) => {
    const reading = d.reading as PlanReading;
    const answeredName = d.plan_name?.trim() ?? '';
    const answeredPeriod = d.plan_period_start && d.plan_period_end ? `${formatFiscalYear(d.plan_period_start)}～${formatFiscalYear(d.plan_period_end)}` : '';
    const readName = reading.plan.name?.value ?? '';
    const readPeriod = periodLabel(reading.plan);
    return {
      id: d.id,
      cityCode: d.city_code,
      cityName: d.city_name,
      fileName: d.file_name,
      planName: answeredName,
      period: answeredPeriod,
      readName: readName !== '' && readName !== answeredName ? readName : '',
      readPeriod: readPeriod !== '' && readPeriod !== answeredPeriod ? readPeriod : '',
      pages: d.pages,
      size: sizeLabel(d.bytes),
      shareableLabel: SHAREABLE_LABELS[d.shareable],
    };
  });
}

// eslint-disable-next-line no-control-regex -- the control characters are what is matched
const CONTROL_CHARACTERS = /[\u0000-\u001f]/g;

/** The zip entry name of a document: <団体コード>_<市名>_<file>, made safe for every file system. */
export function zipEntryName(cityCode: string, cityName: string, fileName: string): string {
  // control characters too (a name must never carry one into an archive)
  return `${cityCode}_${cityName}_${fileName}`.replace(/[\\/:*?"<>|]/g, '_').replace(CONTROL_CHARACTERS, '_');
}

/** Other cities' shared plans for a city that submitted, once published (empty otherwise). */
export async function sharedPlansView(db: Db, surveyId: number, cityCode: string) {
  const rows = await listSharedPlans(db, surveyId, cityCode);
  return rows.map((d) => {
    const reading = d.reading as PlanReading;
    return { id: d.id, cityName: d.city_name, fileName: d.file_name, planName: reading.plan.name?.value ?? '', period: periodLabel(reading.plan), pages: d.pages, size: sizeLabel(d.bytes) };
  });
}
