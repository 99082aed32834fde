// Whether the survey's deadline is written with 西暦 beside 和暦 (令和9年（2027年）1月22日（金）) in its pages and mails.
// Frozen.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('surveys').addColumn('deadline_gregorian', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('surveys').dropColumn('deadline_gregorian').execute();
}
