// 結果公表: publishing stores the results as published — an edition (第1版, 第2版 …) — and everything a respondent
// receives afterwards (pages, GET /api/v1/response/results, workbooks) is built from that stored edition, never from
// live data. Withdrawing (published → closed) keeps the editions; publishing again adds the next one.
import type { Db } from '../db/database.js';
import type { Publication } from '../db/schema.js';
import { forbidden } from '../domain/errors.js';
import type { PlanStats } from '../domain/plan-stats.js';
import type { SurveyResults } from '../domain/results.js';
import type { OrganiserWorkbookData, ParticipantRecord } from '../../exports/types.js';
import { type Actor } from '../repositories/audit.js';
import { findCurrentPublication, insertPublication, withdrawPublications } from '../repositories/publications.js';
import { computePlanStats, computeResults } from './results.js';
import { organiserWorkbookData } from './workbooks.js';

/** What an edition freezes: the results, the plan statistics, and the participants' submitted answers for the workbooks. */
export interface PublicationData {
  results: SurveyResults;
  planStats: PlanStats;
  workbook: OrganiserWorkbookData;
}

export interface PublishedEdition {
  edition: number;
  publishedAt: Date;
  data: PublicationData;
}

const DATE_FIELDS = ['invitedAt', 'mailedAt', 'openedAt', 'updatedAt', 'submittedAt'] as const;

function revive(raw: unknown): PublicationData {
  const data = (typeof raw === 'string' ? JSON.parse(raw) : raw) as PublicationData;
  for (const p of data.workbook.participants) {
    for (const key of DATE_FIELDS) (p as unknown as Record<string, unknown>)[key] = p[key] ? new Date(p[key] as unknown as string) : null;
  }
  return data;
}

/** Freezes the survey's results as its next edition (inside the caller's transaction: the status move). */
export async function publishEdition(db: Db, surveyId: number, actor: Actor, now: Date): Promise<Publication> {
  const results = await computeResults(db, surveyId);
  const planStats = await computePlanStats(db, surveyId);
  const workbook = await organiserWorkbookData(db, surveyId, now);
  // Only what respondents may ever be shown needs freezing: submitted answers, no drafts, no tracking times.
  const participants: ParticipantRecord[] = workbook.participants.map((p) => ({
    ...p,
    answers: p.status === 'submitted' ? p.answers : null,
    invitedAt: null,
    mailedAt: null,
    openedAt: null,
  }));
  const data: PublicationData = { results, planStats, workbook: { ...workbook, participants } };
  return insertPublication(db, { surveyId, publishedAt: now, publishedBy: `${actor.type}:${actor.id}`, data });
}

export async function withdrawEdition(db: Db, surveyId: number, now: Date): Promise<void> {
  await withdrawPublications(db, surveyId, now);
}

export async function currentEdition(db: Db, surveyId: number): Promise<PublishedEdition | undefined> {
  const row = await findCurrentPublication(db, surveyId);
  return row ? { edition: row.edition, publishedAt: new Date(row.published_at), data: revive(row.data) } : undefined;
}

/** The edition a respondent may see: the survey is published and the city had submitted (API.md «Respondent»); else 403. */
export async function editionForRespondent(db: Db, survey: { id: number; status: string }, cityCode: string): Promise<PublishedEdition> {
  if (survey.status !== 'published') throw forbidden('調査結果はまだ公表されていません。結果の公表後にご覧いただけます');
  const edition = await currentEdition(db, survey.id);
  if (!edition) throw forbidden('調査結果はまだ公表されていません。結果の公表後にご覧いただけます');
  const own = edition.data.workbook.participants.find((p) => p.cityCode === cityCode);
  if (!own || own.status !== 'submitted') throw forbidden('調査結果は、回答を送信した団体にお送りしています。この調査に回答を送信していないため、結果はご覧いただけません');
  return edition;
}

/** 「第2版（令和9年2月1日公表）」 */
export function editionLabel(e: { edition: number }): string {
  return `第${e.edition}版`;
}
