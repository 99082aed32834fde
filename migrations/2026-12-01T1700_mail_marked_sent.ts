// A mail from the 送信トレイ that staff sent from their own client is marked 送信済み by them: who marked it, and when.
// Frozen.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_messages').addColumn('marked_sent_by', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_messages').dropColumn('marked_sent_by').execute();
}
