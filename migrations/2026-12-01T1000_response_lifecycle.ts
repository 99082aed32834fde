// The response lifecycle (issue #11): submitted answers keep counting while a city edits (pending_answers
// holds the unsubmitted changes), published results are frozen as editions, personal links can be re-sent
// (a nonce from which the token is derived with a server key; only the hash is looked up), mails carry the
// invitation they link to instead of the token in clear. Frozen.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('responses').addColumn('pending_answers', 'jsonb').execute();
  await db.schema.alterTable('responses').addColumn('pending_updated_at', 'timestamptz').execute();

  await db.schema.alterTable('invitations').addColumn('token_nonce', 'text').execute();

  await db.schema.alterTable('mail_messages').addColumn('invitation_id', 'integer', (c) => c.references('invitations.id').onDelete('set null')).execute();

  await db.schema
    .createTable('publications')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('survey_id', 'integer', (c) => c.notNull().references('surveys.id').onDelete('cascade'))
    .addColumn('edition', 'integer', (c) => c.notNull().check(sql`edition >= 1`))
    .addColumn('published_at', 'timestamptz', (c) => c.notNull())
    .addColumn('published_by', 'text', (c) => c.notNull())
    .addColumn('withdrawn_at', 'timestamptz')
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addUniqueConstraint('publications_survey_edition', ['survey_id', 'edition'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('publications').ifExists().execute();
  await db.schema.alterTable('mail_messages').dropColumn('invitation_id').execute();
  await db.schema.alterTable('invitations').dropColumn('token_nonce').execute();
  await db.schema.alterTable('responses').dropColumn('pending_updated_at').execute();
  await db.schema.alterTable('responses').dropColumn('pending_answers').execute();
}
