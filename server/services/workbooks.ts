// Gathers what the workbook builders need (survey, results, participants with answers and invitation
// history) and decides who may download which workbook; the builders in exports/ stay pure.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/database.js';
import { notFound } from '../domain/errors.js';
import { japanDate } from '../domain/japan-time.js';
import { editionForRespondent } from './publications.js';
import { buildQuestionnaire } from '../../exports/questionnaire.js';
import { buildRespondentWorkbook } from '../../exports/respondent-workbook.js';
import type { OrganiserWorkbookData, ParticipantRecord } from '../../exports/types.js';
import { findCity } from '../repositories/cities.js';
import { rowToAnswers } from '../repositories/responses.js';
import { listMeasures, listParticipants } from '../repositories/surveys.js';
import { type InvitationHistory, listInvitationHistory, listResponsesWithAnswers } from '../repositories/workbook-data.js';
import type { ResponseRow } from '../db/schema.js';
import type { Answer } from '../domain/glossary.js';
import { getResponse } from './responses.js';
import { computeResults } from './results.js';
import { getSurveyOr404 } from './surveys.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';



/** Content-Disposition with a Japanese file name (RFC 5987) and an ASCII fallback. */
export function attachment(fileName: string, asciiFallback: string): string {
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** One participant with its response and invitation history, as the workbooks list it (in memory or streamed). */
export function participantRecord(
  p: { city_code: string; name: string; name_kana: string | null; prefecture: string; population: number; band_index: number },
  r: { row: ResponseRow; measures: Record<string, Answer> } | undefined,
  inv: InvitationHistory | undefined,
  hostCityCode: string,
): ParticipantRecord {
  return {
    cityCode: p.city_code,
    cityName: p.name,
    cityKana: p.name_kana,
    prefecture: p.prefecture,
    population: p.population,
    bandIndex: p.band_index,
    isHost: p.city_code === hostCityCode,
    status: r?.row.status ?? 'not_started',
    invitedAt: inv?.issuedAt ?? null,
    mailedAt: inv?.sentAt ?? null,
    openedAt: inv?.openedAt ?? null,
    updatedAt: r?.row.updated_at ?? null,
    submittedAt: r?.row.submitted_at ?? null,
    answers: r ? rowToAnswers(r.row, r.measures) : null,
  };
}

export async function organiserWorkbookData(db: Db, surveyId: number, now: Date): Promise<OrganiserWorkbookData> {
  const survey = await getSurveyOr404(db, surveyId);
  const host = await findCity(db, survey.host_city_code);
  const results = await computeResults(db, surveyId);
  const participants = await listParticipants(db, surveyId);
  const responses = new Map((await listResponsesWithAnswers(db, surveyId)).map((r) => [r.row.city_code, r]));
  const invitations = await listInvitationHistory(db, surveyId);
  const records: ParticipantRecord[] = participants.map((p) => participantRecord(p, responses.get(p.city_code), invitations.get(p.city_code), survey.host_city_code));
  // The host city first, then the others in city-code order (as listed in the published table's 本市 column).
  records.sort((a, b) => Number(b.isHost) - Number(a.isHost) || a.cityCode.localeCompare(b.cityCode));
  return {
    survey: { id: survey.id, title: survey.title, hostCityName: host?.name ?? survey.host_city_code, date: japanDate(now) },
    results,
    participants: records,
  };
}

/**
 * The respondent's workbook, from the published edition (never live data): only once the survey is published and
 * only for a city that had submitted.
 */
export async function respondentResultsWorkbook(db: Db, surveyId: number, cityCode: string) {
  const survey = await getSurveyOr404(db, surveyId);
  const edition = await editionForRespondent(db, survey, cityCode);
  const data = edition.data.workbook;
  return {
    workbook: buildRespondentWorkbook({ ...data, survey: { ...data.survey, date: japanDate(edition.publishedAt), edition: edition.edition }, cityCode }),
    title: data.survey.title,
    edition: edition.edition,
  };
}

/** The platform's signature of a questionnaire's survey and city (checked when it comes back). */
/** The platform's signature of a questionnaire: survey, city and the response version it was made at. */
export function questionnaireSignature(secret: string, surveyId: number, cityCode: string, version?: number): string {
  const subject = version === undefined ? `questionnaire:v1:${surveyId}:${cityCode}` : `questionnaire:v2:${surveyId}:${cityCode}:${version}`;
  return createHmac('sha256', secret).update(subject).digest('hex').slice(0, 32);
}

/** `version` as written in 管理情報 (undefined for a questionnaire made before versions were signed). */
export function signatureMatches(secret: string, surveyId: number, cityCode: string, signature: string | null, version?: number): boolean {
  const expected = Buffer.from(questionnaireSignature(secret, surveyId, cityCode, version));
  const given = Buffer.from(signature ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function questionnaireWorkbook(db: Db, surveyId: number, cityCode: string, secret: string) {
  const survey = await getSurveyOr404(db, surveyId);
  const city = await findCity(db, cityCode);
  if (!city) throw notFound('団体');
  const state = await getResponse(db, surveyId, cityCode);
  const host = await findCity(db, survey.host_city_code);
  const measures = await listMeasures(db, surveyId);
  const workbook = buildQuestionnaire({
    survey: { id: survey.id, title: survey.title, deadline: survey.deadline, deadlineGregorian: survey.deadline_gregorian, hostCityName: host?.name ?? '' },
    city: { code: city.code, name: city.name },
    measures: measures.map((m) => ({ code: m.code, category: m.category, label: m.label })),
    answers: state.model,
    signature: questionnaireSignature(secret, survey.id, city.code, state.version),
    version: state.version,
  });
  return { workbook, cityName: city.name };
}
