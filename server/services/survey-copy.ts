// Survey rounds and measures: copy an earlier round (measures with their codes, participants with a fresh
// population snapshot, intro and mail texts), and edit measures (add, rename, reorder, retire). Audited.
import type { Db } from '../db/database.js';
import type { Survey } from '../db/schema.js';
import { bandIndexFor } from '../domain/bands.js';
import { badRequest, conflict, notFound } from '../domain/errors.js';
import { type Actor, recordAudit } from '../repositories/audit.js';
import { findCities, findCity } from '../repositories/cities.js';
import { findMeasure, insertMeasure, updateMeasure } from '../repositories/console-surveys.js';
import { addParticipants, insertMeasures, insertSurvey, listMeasures, listParticipants } from '../repositories/surveys.js';
import { getSurveyOr404 } from './surveys.js';

export interface CopySurveyInput {
  title: string;
  deadline: string;
  hostCityCode?: string;
}

export async function copySurvey(db: Db, sourceId: number, input: CopySurveyInput, actor: Actor): Promise<Survey> {
  return db.transaction().execute(async (trx) => {
    const source = await getSurveyOr404(trx, sourceId);
    const hostCityCode = input.hostCityCode ?? source.host_city_code;
    if (!(await findCity(trx, hostCityCode))) throw badRequest(`団体コード「${hostCityCode}」の団体が名簿にありません`, [{ path: '/hostCityCode', message: '本市が団体名簿にありません' }]);
    const survey = await insertSurvey(trx, {
      title: input.title.trim(),
      host_city_code: hostCityCode,
      deadline: input.deadline,
      band_thresholds: source.band_thresholds,
      template: source.template,
      intro_text: source.intro_text,
      copied_from_survey_id: source.id,
      invitation_subject: source.invitation_subject,
      invitation_body: source.invitation_body,
      reminder_subject: source.reminder_subject,
      reminder_body: source.reminder_body,
    });
    await insertMeasures(trx, survey.id, (await listMeasures(trx, source.id)).map((m) => ({ code: m.code, category: m.category, label: m.label })));
    const codes = [...new Set([...(await listParticipants(trx, source.id)).map((p) => p.city_code), hostCityCode])];
    const cities = await findCities(trx, codes);
    await addParticipants(
      trx,
      survey.id,
      cities.map((c) => ({ cityCode: c.code, population: c.population, populationDate: c.population_date, bandIndex: bandIndexFor(c.population, survey.band_thresholds) })),
    );
    await recordAudit(trx, { actor, action: 'copy', entity: 'survey', entityId: survey.id, surveyId: survey.id, before: { copiedFromSurveyId: source.id }, after: survey });
    return survey;
  });
}

const CODE = /^[A-Za-z0-9_-]{1,16}$/;

export async function addMeasure(db: Db, surveyId: number, m: { code: string; category: string; label: string }, actor: Actor) {
  const code = m.code.normalize('NFKC').trim();
  const errors = [];
  if (!CODE.test(code)) errors.push({ path: '/code', message: 'コードは半角英数字（16 文字まで）で入力してください' });
  if (m.category.trim() === '') errors.push({ path: '/category', message: '分類を入力してください' });
  if (m.label.trim() === '') errors.push({ path: '/label', message: '対策の名称を入力してください' });
  if (errors.length > 0) throw badRequest('入力内容に誤りがあります', errors);
  return db.transaction().execute(async (trx) => {
    await getSurveyOr404(trx, surveyId);
    if (await findMeasure(trx, surveyId, code)) throw badRequest(`コード「${code}」の対策は既にあります`, [{ path: '/code', message: `コード「${code}」の対策は既にあります（廃止した対策のコードも使えません）` }]);
    const all = await listMeasures(trx, surveyId, { includeRetired: true });
    const measure = await insertMeasure(trx, surveyId, { code, category: m.category.trim(), label: m.label.trim(), position: Math.max(0, ...all.map((x) => x.position)) + 1 });
    await recordAudit(trx, { actor, action: 'add-measure', entity: 'measure', entityId: `${surveyId}/${code}`, surveyId, after: measure });
    return measure;
  });
}

export type MeasureEdit = { action: 'rename'; label: string; category: string } | { action: 'up' | 'down' | 'retire' | 'restore' };

export async function editMeasure(db: Db, surveyId: number, code: string, edit: MeasureEdit, actor: Actor) {
  return db.transaction().execute(async (trx) => {
    const before = await findMeasure(trx, surveyId, code);
    if (!before) throw notFound('対策');
    let after: typeof before;
    if (edit.action === 'rename') {
      if (edit.label.trim() === '' || edit.category.trim() === '') throw badRequest('対策の名称と分類を入力してください', [{ path: '/label', message: '対策の名称と分類を入力してください' }]);
      after = await updateMeasure(trx, before.id, { label: edit.label.trim(), category: edit.category.trim() });
    } else if (edit.action === 'retire' || edit.action === 'restore') {
      after = await updateMeasure(trx, before.id, { retired: edit.action === 'retire' });
    } else {
      const active = await listMeasures(trx, surveyId);
      const i = active.findIndex((m) => m.id === before.id);
      const j = edit.action === 'up' ? i - 1 : i + 1;
      if (i < 0) throw conflict('廃止した対策は並べ替えできません');
      if (j < 0 || j >= active.length) return before;
      // renumber so that positions are distinct, then swap the two neighbours
      const order = active.map((m) => m.id);
      [order[i], order[j]] = [order[j], order[i]];
      for (const [k, id] of order.entries()) await updateMeasure(trx, id, { position: k + 1 });
      after = (await findMeasure(trx, surveyId, code))!;
    }
    await recordAudit(trx, { actor, action: `measure:${edit.action}`, entity: 'measure', entityId: `${surveyId}/${code}`, surveyId, before, after });
    return after;
  });
}
