// Mail is a queue (issue #15): a request records the message and returns; whichever app instance is free claims it
// (FOR UPDATE SKIP LOCKED, with a lease so that a crashed instance's claim is taken over) and sends it, retrying with
// back-off. Frozen.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_messages').addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`)).execute();
  await db.schema.alterTable('mail_messages').addColumn('locked_until', 'timestamptz').execute();
  await db.schema.createIndex('mail_messages_due').on('mail_messages').columns(['status', 'next_attempt_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('mail_messages_due').ifExists().execute();
  await db.schema.alterTable('mail_messages').dropColumn('locked_until').execute();
  await db.schema.alterTable('mail_messages').dropColumn('next_attempt_at').execute();
}
