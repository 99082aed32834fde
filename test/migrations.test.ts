// Migrations run up (and down) on the test database, and the database itself refuses invalid rows.
import { NO_MIGRATIONS, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../server/db/database.js';
import { createMigrator, isMigrated } from '../server/db/migrate.js';
import { openTestDatabase, withTestSchemaLock } from './helper.js';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await openTestDatabase();
  await sql`insert into cities (code, name, prefecture, population) values ('282049', '西宮市', '兵庫県', 485587)`.execute(database.db);
});
afterAll(() => database.close());

describe('migrations', () => {
  it('are all applied', async () => {
    expect(await isMigrated(database.db, database.schema)).toBe(true);
  });

  it.each([
    ['a survey status outside the list', sql`insert into surveys (title, status, host_city_code, deadline, band_thresholds, template) values ('t', 'archived', '282049', '2027-01-01', '{300000}', 'x')`],
    ['a city code that is not six digits', sql`insert into cities (code, name, prefecture, population) values ('12345a', 'x', 'y', 1)`],
    ['a negative population', sql`insert into cities (code, name, prefecture, population) values ('130001', 'x', 'y', -1)`],
    ['a survey with no band thresholds', sql`insert into surveys (title, host_city_code, deadline, band_thresholds, template) values ('t', '282049', '2027-01-01', '{}', 'x')`],
    ['a survey for a host not on the roster', sql`insert into surveys (title, host_city_code, deadline, band_thresholds, template) values ('t', '130001', '2027-01-01', '{300000}', 'x')`],
    ['an organiser with an unknown role', sql`insert into organisers (email, password_hash, role) values ('a@b.jp', 'x', 'root')`],
  ])('the database refuses %s', async (_name, statement) => {
    await expect(statement.execute(database.db)).rejects.toThrow();
  });

  it('refuses an unknown answer value and a period that ends before it starts', async () => {
    const { id } = await database.db
      .insertInto('surveys')
      .values({ title: 't', host_city_code: '282049', deadline: '2027-01-01', band_thresholds: [300000], template: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db.insertInto('participants').values({ survey_id: id, city_code: '282049', population: 1, population_date: null, band_index: 0 }).execute();
    const badPeriod = database.db.insertInto('responses').values({ survey_id: id, city_code: '282049', plan_period_start: 2018, plan_period_end: 2014 }).execute();
    await expect(badPeriod).rejects.toThrow();
    const response = await database.db.insertInto('responses').values({ survey_id: id, city_code: '282049' }).returning('id').executeTakeFirstOrThrow();
    const measure = await database.db.insertInto('measures').values({ survey_id: id, code: 'M01', category: 'c', label: 'l', position: 1 }).returning('id').executeTakeFirstOrThrow();
    await expect(sql`insert into response_answers (response_id, measure_id, answer) values (${response.id}, ${measure.id}, 'maybe')`.execute(database.db)).rejects.toThrow();
  });

  it('can be rolled all the way down and up again', async () => {
    const other = await openTestDatabase();
    // on PostgreSQL under the schema lock, as every test migration is (test/helper.ts)
    const run = (fn: (db: typeof other.db) => Promise<void>) => (other.kind === 'postgres' ? withTestSchemaLock(other.db, fn) : fn(other.db));
    try {
      await run(async (db) => {
        const migrator = createMigrator(db, other.schema);
        const down = await migrator.migrateTo(NO_MIGRATIONS);
        expect(down.error).toBeUndefined();
        expect(await isMigrated(db, other.schema)).toBe(false);
        expect((await migrator.migrateToLatest()).error).toBeUndefined();
        expect(await isMigrated(db, other.schema)).toBe(true);
      });
    } finally {
      await other.close();
    }
  });
});
