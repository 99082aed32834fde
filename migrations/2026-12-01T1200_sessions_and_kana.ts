// Security round: a session version per organiser (bumped by logout, disabling, a password change: every
// token carrying an older version is refused), login attempt counters shared by every instance, and a kana
// reading per city (so an anonymous city's reading and romaji can be masked too). Frozen.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisers').addColumn('session_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('cities').addColumn('name_kana', 'text').execute();
  await db.schema
    .createTable('login_attempts')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_attempts').execute();
  await db.schema.alterTable('cities').dropColumn('name_kana').execute();
  await db.schema.alterTable('organisers').dropColumn('session_version').execute();
}
