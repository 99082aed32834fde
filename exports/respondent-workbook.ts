// A respondent's results workbook: 集計表 with the city's own 貴市 column, 内訳, and 回答一覧/計画一覧 that
// honour every city's 調査結果の取扱い (anonymous → A市 …, names masked; private → only counted) and the
// listing rule against differencing (server/domain/disclosure-control.ts): a band's per-city answers are
// withheld when too few non-public cities are in it, and anonymous cities' free texts are not shown.
// Contact details never appear here.
import type ExcelJS from 'exceljs';
import { SMALL_GROUP_MESSAGE } from '../server/domain/disclosure-control.js';
import { addBreakdownSheet } from './detail-sheets.js';
import { disclosureView, maskNames } from './disclosure.js';
import { addAnswersSheet, addPlansSheet, type ListRow } from './list-sheets.js';
import { newWorkbook } from './results-workbook.js';
import { addSummarySheet, differsFromBand } from './summary-sheet.js';
import type { ParticipantRecord, RespondentWorkbookData } from './types.js';

/** What replaces an anonymous city's plan name and notes: free text names a city in too many ways to mask. */
export const ANONYMOUS_TEXT_WITHHELD = '（市名を伏せる団体のため表示していません）';

function withoutFreeText(record: ParticipantRecord): ParticipantRecord {
  if (!record.answers) return record;
  const plan = record.answers.plan;
  return {
    ...record,
    answers: { ...record.answers, plan: { ...plan, name: plan.name ? ANONYMOUS_TEXT_WITHHELD : '', notes: plan.notes ? ANONYMOUS_TEXT_WITHHELD : '' } },
  };
}

function withoutPlanAnswer(record: ParticipantRecord): ParticipantRecord {
  if (!record.answers) return record;
  return { ...record, answers: { ...record.answers, plan: { ...record.answers.plan, hasPlan: null } } };
}

export function buildRespondentWorkbook(data: RespondentWorkbookData): ExcelJS.Workbook {
  const wb = newWorkbook(data.survey.title);
  wb.created = wb.modified = new Date(`${data.survey.date}T00:00:00Z`);
  const own = data.participants.find((p) => p.cityCode === data.cityCode);
  const ownAnswers = own?.answers?.measures ?? {};
  addSummarySheet(wb, data.survey, data.results, {
    answers: ownAnswers,
    differs: own ? differsFromBand(data.results, own.bandIndex, ownAnswers) : new Set(),
  });
  addBreakdownSheet(wb, data.results, data.survey.title);

  const view = disclosureView(data.survey.id, data.participants, data.results.bands.length);
  const mask = (text: string) => maskNames(text, view.masks);
  const answerRows: ListRow[] = view.answerRows.map(({ record, displayName }) => ({
    record: view.rule.plansListed ? record : withoutPlanAnswer(record),
    displayName,
    mask,
    bandLabel: data.results.bands[record.bandIndex]?.label ?? '',
  }));
  const planRows: ListRow[] = view.planRows.map(({ record, displayName, anonymous }) => ({
    record: anonymous ? withoutFreeText(record) : record,
    displayName,
    mask,
    bandLabel: '',
  }));
  const withheldBands = data.results.bands.filter((_b, i) => !view.rule.answersListedInBand[i]).map((b) => `「${b.label}」`);
  const base =
    `回答団体 ${data.results.respondents} 団体のうち、市名を公表する団体は市名で示します。市名を伏せる団体は団体別の回答を載せず、計画の一覧にのみ A市・B市 … で示します（計画の名称と備考は表示していません）。` +
    (view.privateCount > 0 ? `公表しないと回答した ${view.privateCount} 団体は一覧に載せず、集計表にのみ含めています。` : '');
  const answersNote =
    view.rule.allWithheld || withheldBands.length === data.results.bands.length
      ? SMALL_GROUP_MESSAGE
      : withheldBands.length > 0
        ? `${withheldBands.join('・')}は、${SMALL_GROUP_MESSAGE}`
        : '';
  addAnswersSheet(wb, data.results, answerRows, { audience: 'respondent', title: data.survey.title, footnote: [base, answersNote].filter(Boolean).join('') });
  addPlansSheet(wb, planRows, { audience: 'respondent', title: data.survey.title, footnote: view.rule.plansListed ? base : SMALL_GROUP_MESSAGE });
  return wb;
}
