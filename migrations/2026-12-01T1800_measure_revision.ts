// The revision of every survey's definition (its measures: codes, labels, categories, order, retirement), which the
// respondent form's cache is keyed by (issue #15). One counter for all surveys, raised by a trigger before any
// statement that writes measures, whoever writes them; an instance checks it in the query each page makes anyway.
// Before, not after: a statement takes the counter's row lock before any measure row's, so two transactions that
// edit measures never wait for each other in opposite orders. The numbers come from a sequence, which a rollback does
// not give back: a revision seen inside a transaction that was rolled back is never the number of other measures. Frozen.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence measure_revision_seq start 2`.execute(db);
  await db.schema
    .createTable('measure_revision')
    .addColumn('id', 'boolean', (c) => c.primaryKey().defaultTo(true).check(sql`id`))
    .addColumn('revision', 'bigint', (c) => c.notNull().defaultTo(1))
    .execute();
  await sql`insert into measure_revision (id, revision) values (true, 1)`.execute(db);
  await sql`create function raise_measure_revision() returns trigger language plpgsql as $$
    begin
      update measure_revision set revision = nextval('measure_revision_seq');
      return null;
    end $$`.execute(db);
  await sql`create trigger measures_revision before insert or update or delete or truncate on measures
    for each statement execute function raise_measure_revision()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger measures_revision on measures`.execute(db);
  await sql`drop function raise_measure_revision()`.execute(db);
  await db.schema.dropTable('measure_revision').execute();
  await sql`drop sequence measure_revision_seq`.execute(db);
}
