// Survey use cases: create from a template, view, edit and move status, add participants.
// Handlers call these; each write runs in one transaction and leaves an audit entry.
import { type Db, inTransaction } from '../db/database.js';
import { publishEdition, withdrawEdition } from './publications.js';
import type { Survey } from '../db/schema.js';
import { bandIndexFor, bandsFor, bandThresholdsProblem, DEFAULT_BAND_THRESHOLDS } from '../domain/bands.js';
import { badRequest, conflict, notFound } from '../domain/errors.js';
import { SURVEY_STATUS_LABELS, type SurveyStatus } from '../domain/glossary.js';
import { canMoveSurvey } from '../domain/survey-status.js';
import { isEmail } from '../domain/normalise.js';
import { CHUKAKUSHI_2018, SURVEY_TEMPLATES } from '../domain/templates/chukakushi-2018.js';
import { type Actor, recordAudit } from '../repositories/audit.js';
import { findCities, findCity } from '../repositories/cities.js';
import {
  addParticipants,
  countParticipants,
  findSurvey,
  insertMeasures,
  insertSurvey,
  listMeasures,
  rebandParticipants,
  updateSurvey,
} from '../repositories/surveys.js';
import type { CreateSurveyInput, PatchSurveyInput, SurveyView } from '../schemas/surveys.js';

export async function getSurveyOr404(db: Db, id: number): Promise<Survey> {
  const survey = await findSurvey(db, id);
  if (!survey) throw notFound('調査');
  return survey;
}

export async function surveyView(db: Db, survey: Survey): Promise<SurveyView> {
  const measures = await listMeasures(db, survey.id);
  return {
    id: survey.id,
    title: survey.title,
    status: survey.status,
    hostCityCode: survey.host_city_code,
    deadline: survey.deadline,
    deadlineGregorian: survey.deadline_gregorian,
    bandThresholds: survey.band_thresholds,
    bands: bandsFor(survey.band_thresholds),
    measures: measures.map((m) => ({ code: m.code, category: m.category, label: m.label })),
    template: survey.template,
    introText: survey.intro_text,
    contact: { department: survey.contact_department, phone: survey.contact_phone, email: survey.contact_email },
    participants: await countParticipants(db, survey.id),
    copiedFromSurveyId: survey.copied_from_survey_id,
  };
}

function checkThresholds(thresholds: number[]): void {
  const problem = bandThresholdsProblem(thresholds);
  if (problem) throw badRequest(problem, [{ path: '/bandThresholds', message: problem }]);
}

async function requireRosterCity(db: Db, code: string, path: string) {
  const city = await findCity(db, code);
  if (!city) {
    const message = `団体コード「${code}」の団体が名簿にありません。先に団体名簿に登録してください`;
    throw badRequest(message, [{ path, message }]);
  }
  return city;
}

/** Adds cities to a survey with a snapshot of their population and band; returns how many were new. */
async function addCitiesToSurvey(db: Db, survey: Survey, codes: string[]): Promise<number> {
  const unique = [...new Set(codes)];
  const cities = await findCities(db, unique);
  const known = new Set(cities.map((c) => c.code));
  const missing = unique.filter((c) => !known.has(c));
  if (missing.length > 0) {
    const message = `名簿にない団体コードがあります: ${missing.join('、')}`;
    throw badRequest(
      message,
      missing.map((code) => ({ path: `/cityCodes/${codes.indexOf(code)}`, message: `団体コード「${code}」の団体が名簿にありません` })),
    );
  }
  return addParticipants(
    db,
    survey.id,
    cities.map((c) => ({
      cityCode: c.code,
      population: c.population,
      populationDate: c.population_date,
      bandIndex: bandIndexFor(c.population, survey.band_thresholds),
    })),
  );
}

/** What a new survey starts from: a template (createSurvey) or an earlier round (copySurvey). */
export interface SurveyPlan {
  title: string;
  hostCityCode: string;
  deadline: string;
  /** write 西暦 beside the 和暦 deadline (令和9年（2027年）1月22日（金）) */
  deadlineGregorian?: boolean;
  bandThresholds: number[];
  template: string;
  introText: string;
  measures: readonly { code: string; category: string; label: string }[];
  /** an earlier round's mail texts, kept as they were */
  mailTexts?: Pick<Survey, 'invitation_subject' | 'invitation_body' | 'reminder_subject' | 'reminder_body'>;
  copiedFromSurveyId?: number;
}

/**
 * Creates a survey with its measures and the host city as its first participant. The one place a survey row is
 * inserted; runs in the caller's transaction when it is given one.
 */
export async function createSurveyFrom(db: Db, plan: SurveyPlan, actor: Actor): Promise<Survey> {
  checkThresholds(plan.bandThresholds);
  return inTransaction(db, async (trx) => {
    await requireRosterCity(trx, plan.hostCityCode, '/hostCityCode');
    const survey = await insertSurvey(trx, {
      title: plan.title.trim(),
      host_city_code: plan.hostCityCode,
      deadline: plan.deadline,
      ...(plan.deadlineGregorian !== undefined ? { deadline_gregorian: plan.deadlineGregorian } : {}),
      band_thresholds: plan.bandThresholds,
      template: plan.template,
      intro_text: plan.introText,
      ...(plan.copiedFromSurveyId !== undefined ? { copied_from_survey_id: plan.copiedFromSurveyId } : {}),
      ...plan.mailTexts,
    });
    await insertMeasures(trx, survey.id, plan.measures);
    await addCitiesToSurvey(trx, survey, [survey.host_city_code]);
    await recordAudit(trx, {
      actor,
      action: plan.copiedFromSurveyId !== undefined ? 'copy' : 'create',
      entity: 'survey',
      entityId: survey.id,
      surveyId: survey.id,
      ...(plan.copiedFromSurveyId !== undefined ? { before: { copiedFromSurveyId: plan.copiedFromSurveyId } } : {}),
      after: survey,
    });
    return survey;
  });
}

export async function createSurvey(db: Db, input: CreateSurveyInput, actor: Actor): Promise<Survey> {
  const template = SURVEY_TEMPLATES[input.template ?? CHUKAKUSHI_2018.id];
  return createSurveyFrom(
    db,
    {
      title: input.title,
      hostCityCode: input.hostCityCode,
      deadline: input.deadline,
      bandThresholds: input.bandThresholds ?? DEFAULT_BAND_THRESHOLDS,
      template: template.id,
      introText: input.introText ?? template.introText,
      measures: template.measures,
    },
    actor,
  );
}

const cleanContact = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.normalize('NFKC').trim() === '' ? null : v.normalize('NFKC').trim());

function contactPatch(patch: PatchSurveyInput) {
  const email = cleanContact(patch.contactEmail);
  if (email && !isEmail(email)) {
    const message = '問い合わせ先のメールアドレスの形式が正しくありません（例: joho@city.example.lg.jp）';
    throw badRequest(message, [{ path: '/contactEmail', message }]);
  }
  return {
    ...(patch.contactDepartment !== undefined ? { contact_department: cleanContact(patch.contactDepartment) } : {}),
    ...(patch.contactPhone !== undefined ? { contact_phone: cleanContact(patch.contactPhone) } : {}),
    ...(email !== undefined ? { contact_email: email } : {}),
  };
}

export async function patchSurvey(db: Db, id: number, patch: PatchSurveyInput, actor: Actor, now: Date): Promise<Survey> {
  return inTransaction(db, async (trx) => {
    const before = await getSurveyOr404(trx, id);
    if (patch.status !== undefined && patch.status !== before.status && !canMoveSurvey(before.status, patch.status)) {
      throw conflict(
        `調査の状態を「${SURVEY_STATUS_LABELS[before.status]}」から「${SURVEY_STATUS_LABELS[patch.status as SurveyStatus]}」へ変更することはできません`,
      );
    }
    if (patch.bandThresholds) checkThresholds(patch.bandThresholds);
    if (patch.hostCityCode) await requireRosterCity(trx, patch.hostCityCode, '/hostCityCode');
    const after = await updateSurvey(trx, id, {
      status: patch.status,
      title: patch.title?.trim(),
      host_city_code: patch.hostCityCode,
      deadline: patch.deadline,
      deadline_gregorian: patch.deadlineGregorian,
      band_thresholds: patch.bandThresholds,
      intro_text: patch.introText,
      ...contactPatch(patch),
    });
    if (patch.bandThresholds) await rebandParticipants(trx, id, (p) => bandIndexFor(p, after.band_thresholds));
    if (patch.hostCityCode) await addCitiesToSurvey(trx, after, [after.host_city_code]);
    const moved = patch.status !== undefined && patch.status !== before.status;
    let edition: number | undefined;
    if (moved && after.status === 'published') edition = (await publishEdition(trx, id, actor, now)).edition;
    if (moved && before.status === 'published') await withdrawEdition(trx, id, now);
    await recordAudit(trx, {
      actor,
      action: moved ? `status:${patch.status}` : 'update',
      entity: 'survey',
      entityId: id,
      surveyId: id,
      before,
      after: edition ? { ...after, edition } : after,
    });
    return after;
  });
}

/** Adds roster cities (and the host city) as participants; returns the survey's participant count. */
export async function addSurveyParticipants(db: Db, id: number, cityCodes: string[], actor: Actor): Promise<{ participants: number; added: number }> {
  return inTransaction(db, async (trx) => {
    const survey = await getSurveyOr404(trx, id);
    // The host goes last so that error paths (/cityCodes/i) index the caller's own list.
    const added = await addCitiesToSurvey(trx, survey, [...cityCodes, survey.host_city_code]);
    if (added > 0) {
      await recordAudit(trx, { actor, action: 'add-participants', entity: 'survey', entityId: id, surveyId: id, after: { cityCodes } });
    }
    return { participants: await countParticipants(trx, id), added };
  });
}
