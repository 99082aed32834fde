// Table types of the plan documents (migration 2026-12-01T1300); joined into Database in schema.ts.
import type { ColumnType, Generated, Selectable } from 'kysely';

export type Shareable = 'all' | 'host';

export interface PlanDocumentsTable {
  id: Generated<number>;
  survey_id: number;
  city_code: string;
  file_name: string;
  content_type: string;
  bytes: number;
  pages: number;
  shareable: Shareable;
  sha256: string;
  content: Buffer;
  /** API.md «Plan documents» `reading` */
  reading: ColumnType<unknown, string, string>;
  warnings: ColumnType<string[], string | undefined, string>;
  /** proposal key (plan.name, measure.M09) → 'accepted' | 'rejected' */
  decisions: ColumnType<Record<string, 'accepted' | 'rejected'>, string | undefined, string>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface PlanDocumentPagesTable {
  doc_id: number;
  page: number;
  /** the page as extracted */
  text: string;
  /** NFKC and lower case, for width- and case-insensitive search */
  search_text: string;
}

export type PlanDocumentRow = Selectable<PlanDocumentsTable>;
