// Organiser console: per-survey editable mail texts (null = the platform's default template). Frozen.
import type { Kysely } from 'kysely';

const COLUMNS = ['invitation_subject', 'invitation_body', 'reminder_subject', 'reminder_body'];

export async function up(db: Kysely<any>): Promise<void> {
  for (const column of COLUMNS) {
    await db.schema.alterTable('surveys').addColumn(column, 'text').execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of COLUMNS) {
    await db.schema.alterTable('surveys').dropColumn(column).execute();
  }
}
