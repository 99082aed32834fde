// Survey rounds and measures: copy an earlier round (measures with their codes, participants with a fresh
// population snapshot, intro and mail texts), and edit measures (add, rename, reorder, retire). Audited.
import { type Db, inTransaction } from '../db/database.js';
import type { Survey } from '../db/schema.js';
import { badRequest, conflict, notFound } from '../domain/errors.js';
import { type Actor, recordAudit } from '../repositories/audit.js';
import { findMeasure, insertMeasure, updateMeasure } from '../repositories/measures.js';
import { listMeasures, listParticipants } from '../repositories/surveys.js';
import { addSurveyParticipants, createSurveyFrom, getSurveyOr404 } from './surveys.js';

export interface CopySurveyInput {
  title: string;
  deadline: string;
  hostCityCode?: string;
}

/**
 * A new round from an earlier one: its measures (same codes), bands, intro and mail texts, and its participants with
 * a fresh population snapshot. Composes createSurveyFrom and addSurveyParticipants in one transaction.
 */
export async function copySurvey(db: Db, sourceId: number, input: CopySurveyInput, actor: Actor): Promise<Survey> {
  return inTransaction(db, async (trx) => {
    const source = await getSurveyOr404(trx, sourceId);
    const survey = await createSurveyFrom(
      trx,
      {
        title: input.title,
        hostCityCode: input.hostCityCode ?? source.host_city_code,
        deadline: input.deadline,
        deadlineGregorian: source.deadline_gregorian,
        bandThresholds: source.band_thresholds,
        template: source.template,
        introText: source.intro_text,
        measures: (await listMeasures(trx, source.id)).map((m) => ({ code: m.code, category: m.category, label: m.label })),
        mailTexts: {
          invitation_subject: source.invitation_subject,
          invitation_body: source.invitation_body,
          reminder_subject: source.reminder_subject,
          reminder_body: source.reminder_body,
        },
        copiedFromSurveyId: source.id,
      },
      actor,
    );
    await addSurveyParticipants(trx, survey.id, (await listParticipants(trx, source.id)).map((p) => p.city_code), actor);
    return survey;
  });
}

const CODE = /^[A-Za-z0-9_-]{1,16}$/;

/** Measures are the survey's questions: once it has left 準備中 they can no longer be added, retired or reordered. */
function requireDraft(survey: Survey, what: string): void {
  if (survey.status !== 'draft') {
    throw conflict(`${what}は、調査が「準備中」の間だけできます。回答の受付を始めた調査では、回答と集計の対応を保つため、対策の追加・廃止・並べ替えはできません（名称の修正はできます）`);
  }
}

/**
 * Adds a measure at the end of its category (not at the end of the survey). The category is one of the survey's
 * own, unless `newCategory` says a new one is meant, so that a typo never creates a second category.
 */
export async function addMeasure(db: Db, surveyId: number, m: { code: string; category: string; label: string; newCategory?: boolean }, actor: Actor) {
  const code = m.code.normalize('NFKC').trim();
  const category = m.category.trim();
  const errors = [];
  if (!CODE.test(code)) errors.push({ path: '/code', message: 'コードは半角英数字（16 文字まで）で入力してください' });
  if (category === '') errors.push({ path: '/category', message: '分類を選んでください' });
  if (m.label.trim() === '') errors.push({ path: '/label', message: '対策の名称を入力してください' });
  if (errors.length > 0) throw badRequest('入力内容に誤りがあります', errors);
  return inTransaction(db, async (trx) => {
    requireDraft(await getSurveyOr404(trx, surveyId), '対策の追加');
    if (await findMeasure(trx, surveyId, code)) throw badRequest(`コード「${code}」の対策は既にあります`, [{ path: '/code', message: `コード「${code}」の対策は既にあります（廃止した対策のコードも使えません）` }]);
    const all = await listMeasures(trx, surveyId, { includeRetired: true });
    const inCategory = all.filter((x) => x.category === category);
    if (inCategory.length === 0 && !m.newCategory) {
      const known = [...new Set(all.map((x) => x.category))].map((c) => `「${c}」`).join('');
      const message = `分類「${category}」はこの調査にありません。既存の分類（${known}）から選ぶか、新しい分類として追加することを選んでください`;
      throw badRequest(message, [{ path: '/category', message }]);
    }
    // Right after the last measure of its category; a new category goes at the end.
    const position = inCategory.length > 0 ? Math.max(...inCategory.map((x) => x.position)) + 1 : Math.max(0, ...all.map((x) => x.position)) + 1;
    for (const later of all.filter((x) => x.position >= position).sort((a, b) => b.position - a.position)) await updateMeasure(trx, later.id, { position: later.position + 1 });
    const measure = await insertMeasure(trx, surveyId, { code, category, label: m.label.trim(), position });
    await recordAudit(trx, { actor, action: 'add-measure', entity: 'measure', entityId: `${surveyId}/${code}`, surveyId, after: measure });
    return measure;
  });
}

export type MeasureEdit =
  | { action: 'rename'; label: string; category?: string }
  | { action: 'up' | 'down' | 'retire' | 'restore' }
  /** one action: place the measure right after `after` (a measure of the same category), or first in it when null */
  | { action: 'move'; after: string | null };

export async function editMeasure(db: Db, surveyId: number, code: string, edit: MeasureEdit, actor: Actor) {
  return inTransaction(db, async (trx) => {
    const survey = await getSurveyOr404(trx, surveyId);
    const before = await findMeasure(trx, surveyId, code);
    if (!before) throw notFound('対策');
    let after: typeof before;
    if (edit.action === 'rename') {
      if (survey.status === 'published') throw conflict('結果公表中の調査の対策名は変更できません。先に結果の公表を取り下げてください');
      const category = edit.category?.trim() ?? before.category;
      if (edit.label.trim() === '' || category === '') throw badRequest('対策の名称と分類を入力してください', [{ path: '/label', message: '対策の名称と分類を入力してください' }]);
      if (category !== before.category) requireDraft(survey, '分類の変更');
      after = await updateMeasure(trx, before.id, { label: edit.label.trim(), category });
    } else if (edit.action === 'retire' || edit.action === 'restore') {
      requireDraft(survey, edit.action === 'retire' ? '対策の廃止' : '対策の復活');
      after = await updateMeasure(trx, before.id, { retired: edit.action === 'retire' });
    } else {
      requireDraft(survey, '対策の並べ替え');
      const active = await listMeasures(trx, surveyId);
      const order = active.map((m) => m.id);
      const i = order.indexOf(before.id);
      if (i < 0) throw conflict('廃止した対策は並べ替えできません');
      const sameCategory = active.filter((m) => m.category === before.category && m.id !== before.id);
      let target: number;
      if (edit.action === 'move') {
        const anchor = edit.after === null ? undefined : sameCategory.find((m) => m.code === edit.after);
        if (edit.after !== null && !anchor) throw badRequest('移動先は同じ分類の対策から選んでください', [{ path: '/after', message: '移動先は同じ分類の対策から選んでください' }]);
        order.splice(i, 1);
        target = anchor ? order.indexOf(anchor.id) + 1 : order.indexOf(sameCategory[0]?.id ?? before.id);
        if (target < 0) target = i;
      } else {
        // up/down stay inside the category
        const j = edit.action === 'up' ? i - 1 : i + 1;
        if (j < 0 || j >= active.length || active[j].category !== before.category) return before;
        order.splice(i, 1);
        target = j;
      }
      order.splice(target, 0, before.id);
      for (const [k, id] of order.entries()) if (active.find((m) => m.id === id)!.position !== k + 1) await updateMeasure(trx, id, { position: k + 1 });
      after = (await findMeasure(trx, surveyId, code))!;
    }
    const action = edit.action === 'rename' ? 'measure:rename' : `measure:${edit.action}`;
    await recordAudit(trx, { actor, action, entity: 'measure', entityId: `${surveyId}/${code}`, surveyId, before, after });
    return after;
  });
}
