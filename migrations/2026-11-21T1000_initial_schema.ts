// The survey data model. Frozen: later changes go in new migrations, never edit this one.
// Every enumerated value has a CHECK constraint so the database itself refuses invalid rows.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organisers')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'staff')`))
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('organisers_email_lower', sql`email = lower(email)`)
    .execute();

  await db.schema
    .createTable('cities')
    .addColumn('code', 'char(6)', (c) => c.primaryKey().check(sql`code ~ '^[0-9]{6}$'`))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 100`))
    .addColumn('prefecture', 'text', (c) => c.notNull().check(sql`length(prefecture) between 1 and 10`))
    .addColumn('population', 'integer', (c) => c.notNull().check(sql`population >= 0`))
    .addColumn('population_date', 'date')
    .addColumn('email', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('surveys')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull().check(sql`length(title) between 1 and 200`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('draft').check(sql`status in ('draft', 'open', 'closed', 'published')`),
    )
    .addColumn('host_city_code', 'char(6)', (c) => c.notNull().references('cities.code'))
    .addColumn('deadline', 'date', (c) => c.notNull())
    .addColumn('band_thresholds', sql`integer[]`, (c) =>
      c.notNull().check(sql`cardinality(band_thresholds) >= 1 and 0 < all(band_thresholds)`),
    )
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('intro_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('copied_from_survey_id', 'integer', (c) => c.references('surveys.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('measures')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('survey_id', 'integer', (c) => c.notNull().references('surveys.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull().check(sql`code ~ '^[A-Za-z0-9_-]{1,16}$'`))
    .addColumn('category', 'text', (c) => c.notNull().check(sql`length(category) between 1 and 100`))
    .addColumn('label', 'text', (c) => c.notNull().check(sql`length(label) between 1 and 200`))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('retired_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('measures_survey_code', ['survey_id', 'code'])
    .execute();

  await db.schema
    .createTable('participants')
    .addColumn('survey_id', 'integer', (c) => c.notNull().references('surveys.id').onDelete('cascade'))
    .addColumn('city_code', 'char(6)', (c) => c.notNull().references('cities.code'))
    .addColumn('population', 'integer', (c) => c.notNull().check(sql`population >= 0`))
    .addColumn('population_date', 'date')
    .addColumn('band_index', 'integer', (c) => c.notNull().check(sql`band_index >= 0`))
    .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('participants_pk', ['survey_id', 'city_code'])
    .execute();

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('survey_id', 'integer', (c) => c.notNull())
    .addColumn('city_code', 'char(6)', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .addColumn('opened_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addForeignKeyConstraint('invitations_participant', ['survey_id', 'city_code'], 'participants', ['survey_id', 'city_code'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  await db.schema.createIndex('invitations_survey_city').on('invitations').columns(['survey_id', 'city_code']).execute();

  await db.schema
    .createTable('responses')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('survey_id', 'integer', (c) => c.notNull())
    .addColumn('city_code', 'char(6)', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft', 'submitted')`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1).check(sql`version >= 1`))
    .addColumn('contact_department', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('contact_person_kana', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('contact_phone', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('contact_email', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('has_plan', 'boolean')
    .addColumn('plan_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('plan_latest_number', 'integer', (c) => c.check(sql`plan_latest_number between 1 and 99`))
    .addColumn('plan_update_cycle_years', 'integer', (c) => c.check(sql`plan_update_cycle_years between 1 and 20`))
    .addColumn('plan_update_irregular', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('plan_period_start', 'integer', (c) => c.check(sql`plan_period_start between 1868 and 2200`))
    .addColumn('plan_period_end', 'integer', (c) => c.check(sql`plan_period_end between 1868 and 2200`))
    .addColumn('next_plan', 'text', (c) => c.check(sql`next_plan in ('update', 'merge', 'abolish', 'undecided')`))
    .addColumn('plan_notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('disclosure', 'text', (c) => c.check(sql`disclosure in ('public', 'anonymous', 'private')`))
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text', (c) => c.notNull().defaultTo(''))
    .addUniqueConstraint('responses_survey_city', ['survey_id', 'city_code'])
    .addForeignKeyConstraint('responses_participant', ['survey_id', 'city_code'], 'participants', ['survey_id', 'city_code'], (fk) =>
      fk.onDelete('cascade'),
    )
    .addCheckConstraint('responses_period_order', sql`plan_period_end is null or plan_period_start is null or plan_period_end >= plan_period_start`)
    .addCheckConstraint('responses_submitted_at', sql`status <> 'submitted' or submitted_at is not null`)
    .execute();

  await db.schema
    .createTable('response_answers')
    .addColumn('response_id', 'integer', (c) => c.notNull().references('responses.id').onDelete('cascade'))
    .addColumn('measure_id', 'integer', (c) => c.notNull().references('measures.id').onDelete('cascade'))
    .addColumn('answer', 'text', (c) => c.notNull().check(sql`answer in ('implemented', 'studying', 'none')`))
    .addPrimaryKeyConstraint('response_answers_pk', ['response_id', 'measure_id'])
    .execute();
  await db.schema.createIndex('response_answers_measure').on('response_answers').column('measure_id').execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_type', 'text', (c) => c.notNull().check(sql`actor_type in ('organiser', 'respondent', 'system')`))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('survey_id', 'integer', (c) => c.references('surveys.id').onDelete('set null'))
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .execute();
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity', 'entity_id']).execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['audit_log', 'response_answers', 'responses', 'invitations', 'participants', 'measures', 'surveys', 'cities', 'organisers']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
