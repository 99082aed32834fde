// Taking things back: removing a city from a survey's participants, and deleting a survey that was never opened.
// Both are audited with a copy of what was removed, so the audit log keeps the trail after the rows are gone.
import { type Db, inTransaction } from '../db/database.js';
import { bandsFor } from '../domain/bands.js';
import { conflict, notFound } from '../domain/errors.js';
import { SURVEY_STATUS_LABELS } from '../domain/glossary.js';
import { type Actor, recordAudit } from '../repositories/audit.js';
import { findCity } from '../repositories/cities.js';
import { listActiveInvitations } from '../repositories/invitations.js';
import { cancelUnsentMail } from '../repositories/mail.js';
import { listPlanDocuments } from '../repositories/plan-documents.js';
import { countParticipants, deleteParticipant, deleteSurveyRow, listParticipants, participantFootprint, updateSurvey } from '../repositories/surveys.js';
import { getResponse } from './responses.js';
import { getSurveyOr404 } from './surveys.js';

export interface RemovalCheck {
  cityCode: string;
  cityName: string;
  /** the city's response so far: null when it has none */
  responseStatus: 'draft' | 'submitted' | null;
  planDocuments: number;
  /** the removal also deletes answers or files: it needs the organiser's explicit confirmation */
  needsConfirmation: boolean;
}

/** Whether the city can be removed from the survey, and what the removal would delete (for the confirmation page). */
export async function checkParticipantRemoval(db: Db, surveyId: number, cityCode: string): Promise<RemovalCheck> {
  const survey = await getSurveyOr404(db, surveyId);
  const participant = (await listParticipants(db, surveyId)).find((p) => p.city_code === cityCode);
  if (!participant) throw notFound('照会先団体');
  if (cityCode === survey.host_city_code) {
    throw conflict(`「${participant.name}」はこの調査の本市のため、照会先団体から外せません。本市を変える場合は、調査の設定で本市を変更してから外してください`);
  }
  if (survey.status === 'published') {
    throw conflict('結果公表中の調査からは、照会先団体を外せません。外す場合は、先に結果の公表を取り下げてください（調査の状態を「締切」に戻す）');
  }
  const footprint = await participantFootprint(db, surveyId, cityCode);
  return {
    cityCode,
    cityName: participant.name,
    responseStatus: footprint.responseStatus,
    planDocuments: footprint.planDocuments,
    needsConfirmation: footprint.responseStatus !== null || footprint.planDocuments > 0,
  };
}

/** The sentence that says why a removal waits for confirmation (API 409 and the confirmation page). */
export function removalWarning(check: RemovalCheck): string {
  const what = [
    check.responseStatus === 'submitted' ? '送信済みの回答' : check.responseStatus === 'draft' ? '一時保存中の回答' : undefined,
    check.planDocuments > 0 ? `添付された計画書 ${check.planDocuments} 件` : undefined,
  ].filter((s): s is string => s !== undefined);
  return `「${check.cityName}」には${what.join('と')}があります。照会先団体から外すと、これらは削除され、集計にも含まれなくなります（削除した内容は監査ログに残ります）`;
}

/**
 * Removes a city from the survey's participants: its personal link stops working at once (the invitation is
 * revoked with the row), mail not yet sent to it is dropped, and its answers and plan documents are deleted.
 * A city that has answered is removed only with `confirm`: 409 otherwise.
 */
export async function removeParticipant(db: Db, args: { surveyId: number; cityCode: string; confirm: boolean; actor: Actor }): Promise<{ participants: number }> {
  return inTransaction(db, async (trx) => {
    const check = await checkParticipantRemoval(trx, args.surveyId, args.cityCode);
    if (check.needsConfirmation && !args.confirm) throw conflict(`${removalWarning(check)}。それでも外す場合は、確認画面で「回答を削除して外す」を押すか、API では ?confirm=true を付けてください`);
    const survey = await getSurveyOr404(trx, args.surveyId);
    const participant = (await listParticipants(trx, args.surveyId)).find((p) => p.city_code === args.cityCode)!;
    const response = check.responseStatus === null ? null : await getResponse(trx, args.surveyId, args.cityCode);
    const documents = check.planDocuments > 0 ? await listPlanDocuments(trx, { surveyId: args.surveyId, cityCode: args.cityCode }) : [];
    const activeLink = (await listActiveInvitations(trx, args.surveyId)).has(args.cityCode);
    const unsentMail = await cancelUnsentMail(trx, args.surveyId, args.cityCode);
    await deleteParticipant(trx, args.surveyId, args.cityCode);
    // the survey's data version (results workbook cache) moves even when another city was added meanwhile
    await updateSurvey(trx, args.surveyId, {});
    await recordAudit(trx, {
      actor: args.actor,
      action: 'remove-participant',
      entity: 'participant',
      entityId: `${args.surveyId}:${args.cityCode}`,
      surveyId: args.surveyId,
      before: {
        cityCode: args.cityCode,
        cityName: participant.name,
        population: participant.population,
        populationDate: participant.population_date,
        band: bandsFor(survey.band_thresholds)[participant.band_index]?.label ?? null,
        response: response && { status: response.status, submittedAt: response.submittedAt, version: response.version, answers: response.answers },
        planDocuments: documents.map((d) => ({ id: d.id, fileName: d.file_name, bytes: d.bytes })),
      },
      after: { confirmed: args.confirm, linkRevoked: activeLink, unsentMailCancelled: unsentMail },
    });
    return { participants: await countParticipants(trx, args.surveyId) };
  });
}

/** Deletes a survey that never left 準備中 (draft); any other status → 409. Audited with what it was. */
export async function deleteDraftSurvey(db: Db, args: { surveyId: number; actor: Actor }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const survey = await getSurveyOr404(trx, args.surveyId);
    if (survey.status !== 'draft') {
      throw conflict(`調査「${survey.title}」は「${SURVEY_STATUS_LABELS[survey.status]}」のため削除できません。削除できるのは、一度も公開していない（準備中の）調査だけです`);
    }
    const participants = await countParticipants(trx, survey.id);
    const host = await findCity(trx, survey.host_city_code);
    await recordAudit(trx, {
      actor: args.actor,
      action: 'delete',
      entity: 'survey',
      entityId: survey.id,
      // the survey row goes: the entry keeps its number in entity_id and its content in `before`
      surveyId: null,
      before: { ...survey, hostCityName: host?.name ?? null, participants },
    });
    await deleteSurveyRow(trx, survey.id);
  });
}
