// SQL for plan documents: the stored file (bytea), its pages' text, and the search over them.
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { Shareable } from '../db/plan-documents-schema.js';

const META = ['id', 'survey_id', 'city_code', 'file_name', 'content_type', 'bytes', 'pages', 'shareable', 'sha256', 'created_at'] as const;

export interface NewPlanDocument {
  surveyId: number;
  cityCode: string;
  fileName: string;
  contentType: string;
  content: Buffer;
  sha256: string;
  shareable: Shareable;
  pages: string[];
  reading: unknown;
  warnings: string[];
}

/** The search form of a page: width-folded (ＲＰＡ = RPA) and lower case, so queries match either way. */
export const searchForm = (text: string) => text.normalize('NFKC').toLowerCase();

export async function insertPlanDocument(db: Db, doc: NewPlanDocument) {
  const row = await db
    .insertInto('plan_documents')
    .values({
      survey_id: doc.surveyId,
      city_code: doc.cityCode,
      file_name: doc.fileName,
      content_type: doc.contentType,
      bytes: doc.content.length,
      pages: doc.pages.length,
      shareable: doc.shareable,
      sha256: doc.sha256,
      content: doc.content,
      reading: JSON.stringify(doc.reading),
      warnings: JSON.stringify(doc.warnings),
    })
    .returning([...META, 'reading', 'warnings'])
    .executeTakeFirstOrThrow();
  // One statement per 200 pages keeps the parameter count far below PostgreSQL's 65,535.
  const pages = doc.pages.map((text, i) => ({ doc_id: row.id, page: i + 1, text, search_text: searchForm(text) }));
  for (let i = 0; i < pages.length; i += 200) await db.insertInto('plan_document_pages').values(pages.slice(i, i + 200)).execute();
  return row;
}

export async function listPlanDocuments(db: Db, filter: { surveyId: number; cityCode?: string; shareableOnly?: boolean }) {
  let q = db.selectFrom('plan_documents').select([...META, 'reading', 'warnings', 'decisions']).where('survey_id', '=', filter.surveyId);
  if (filter.cityCode) q = q.where('city_code', '=', filter.cityCode);
  if (filter.shareableOnly) q = q.where('shareable', '=', 'all');
  return q.orderBy('city_code').orderBy('id').execute();
}

export async function findPlanDocument(db: Db, id: number) {
  return db.selectFrom('plan_documents').select([...META, 'reading', 'warnings', 'decisions']).where('id', '=', id).executeTakeFirst();
}

export async function loadPlanDocumentContent(db: Db, id: number): Promise<Buffer | undefined> {
  const row = await db.selectFrom('plan_documents').select('content').where('id', '=', id).executeTakeFirst();
  return row ? Buffer.from(row.content) : undefined;
}

export async function deletePlanDocument(db: Db, id: number): Promise<boolean> {
  const res = await db.deleteFrom('plan_documents').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** Records the respondent's accept / reject of proposals (merged into what was decided before). */
export async function recordDecisions(db: Db, id: number, decisions: Record<string, 'accepted' | 'rejected'>): Promise<void> {
  await db
    .updateTable('plan_documents')
    .set({ decisions: sql`decisions || ${JSON.stringify(decisions)}::jsonb` as never })
    .where('id', '=', id)
    .execute();
}

export async function updateShareable(db: Db, id: number, shareable: Shareable): Promise<void> {
  await db.updateTable('plan_documents').set({ shareable }).where('id', '=', id).execute();
}

/**
 * Pages of a survey's plans containing the query (substring match: a 2-character word such as 「電子」 is found
 * as surely as 「オープンデータ」; trigram indexes cannot serve queries under 3 characters, see README).
 */
export async function searchPlanPages(db: Db, surveyId: number, query: string, limit = 200) {
  const needle = searchForm(query);
  return db
    .selectFrom('plan_document_pages as p')
    .innerJoin('plan_documents as d', 'd.id', 'p.doc_id')
    .select(['p.doc_id', 'd.city_code', 'p.page', 'p.search_text', sql<number>`strpos(p.search_text, ${needle})`.as('at')])
    .where('d.survey_id', '=', surveyId)
    .where(sql<boolean>`strpos(p.search_text, ${needle}) > 0`)
    .orderBy('d.city_code')
    .orderBy('p.doc_id')
    .orderBy('p.page')
    .limit(limit)
    .execute();
}

/**
 * A survey's documents for the organisers' library, each with its city and what the city answered of its plan (the
 * counted answers: its last submission, or its draft before the first one).
 */
export async function listLibraryDocuments(db: Db, surveyId: number) {
  return db
    .selectFrom('plan_documents as d')
    .innerJoin('cities as c', 'c.code', 'd.city_code')
    .leftJoin('responses as r', (j) => j.onRef('r.survey_id', '=', 'd.survey_id').onRef('r.city_code', '=', 'd.city_code'))
    .select(['d.id', 'd.city_code', 'c.name as city_name', 'd.file_name', 'd.bytes', 'd.pages', 'd.shareable', 'd.reading', 'd.created_at'])
    .select(['r.plan_name', 'r.plan_period_start', 'r.plan_period_end'])
    .where('d.survey_id', '=', surveyId)
    .orderBy('d.city_code')
    .orderBy('d.id')
    .execute();
}
