// An account whose password someone else set (the generated first admin, a staff account an admin created, a reset)
// must change it at its next login. Frozen.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisers').addColumn('must_change_password', 'boolean', (c) => c.notNull().defaultTo(sql`false`)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisers').dropColumn('must_change_password').execute();
}
