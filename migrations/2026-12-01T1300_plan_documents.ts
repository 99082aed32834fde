// Plan documents (御恵与): the files respondents attach, stored in the database (bytea) so one backup holds
// everything, with their extracted text per page for the organisers' search. Frozen.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('plan_documents')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('survey_id', 'integer', (c) => c.notNull())
    .addColumn('city_code', 'char(6)', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('pages', 'integer', (c) => c.notNull())
    .addColumn('shareable', 'text', (c) => c.notNull().check(sql`shareable in ('all', 'host')`))
    .addColumn('sha256', 'char(64)', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('reading', 'jsonb', (c) => c.notNull())
    .addColumn('warnings', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // the respondent's answer to each proposal: { "measure.M09": "accepted", "plan.name": "rejected" }
    .addColumn('decisions', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addForeignKeyConstraint('plan_documents_participant', ['survey_id', 'city_code'], 'participants', ['survey_id', 'city_code'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  await db.schema.createIndex('plan_documents_by_participant').on('plan_documents').columns(['survey_id', 'city_code']).execute();
  await db.schema
    .createTable('plan_document_pages')
    .addColumn('doc_id', 'integer', (c) => c.notNull().references('plan_documents.id').onDelete('cascade'))
    .addColumn('page', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('plan_document_pages_pk', ['doc_id', 'page'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('plan_document_pages').execute();
  await db.schema.dropTable('plan_documents').execute();
}
