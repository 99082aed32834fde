// The survey's own contact block (問い合わせ先: 担当部署, 電話, メール) printed in its mails, instead of the sending
// account's address. Frozen.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('surveys').addColumn('contact_department', 'text').execute();
  await db.schema.alterTable('surveys').addColumn('contact_phone', 'text').execute();
  await db.schema.alterTable('surveys').addColumn('contact_email', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const c of ['contact_email', 'contact_phone', 'contact_department']) await db.schema.alterTable('surveys').dropColumn(c).execute();
}
