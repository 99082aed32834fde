// Seeds an empty database with the roster of 中核市 and a demo survey, so a fresh start has something to show.
import { type Db, inTransaction } from './database.js';
import { CHUKAKUSHI_2018 } from '../domain/templates/chukakushi-2018.js';
import { SYSTEM_ACTOR } from '../repositories/audit.js';
import { countCities } from '../repositories/cities.js';
import { listSurveys } from '../repositories/surveys.js';
import { upsertRoster } from '../services/cities.js';
import { addSurveyParticipants, createSurvey } from '../services/surveys.js';
import { CHUKAKUSHI_KANA, CHUKAKUSHI_ROSTER, ROSTER_POPULATION_DATE } from './seed/roster-chukakushi.js';

export const DEMO_HOST_CITY_CODE = '282049'; // 西宮市

export interface SeedResult {
  citiesSeeded: number;
  demoSurveyId?: number;
}

/** One transaction: a start-up that fails half-way leaves nothing seeded, and the next start seeds again. */
export async function seedDatabase(db: Db, opts: { today: Date }): Promise<SeedResult> {
  return inTransaction(db, (trx) => seed(trx, opts));
}

async function seed(db: Db, opts: { today: Date }): Promise<SeedResult> {
  let citiesSeeded = 0;
  if ((await countCities(db)) === 0) {
    citiesSeeded = await upsertRoster(
      db,
      CHUKAKUSHI_ROSTER.map((c) => ({ ...c, populationDate: ROSTER_POPULATION_DATE, nameKana: CHUKAKUSHI_KANA[c.code] ?? null })),
      SYSTEM_ACTOR,
    );
  }
  if ((await listSurveys(db)).length > 0) return { citiesSeeded };
  const deadline = new Date(opts.today.getTime() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const survey = await createSurvey(
    db,
    { title: CHUKAKUSHI_2018.title, hostCityCode: DEMO_HOST_CITY_CODE, deadline, template: CHUKAKUSHI_2018.id },
    SYSTEM_ACTOR,
  );
  const cityCodes = CHUKAKUSHI_ROSTER.map((c) => c.code).filter((code) => code !== DEMO_HOST_CITY_CODE);
  await addSurveyParticipants(db, survey.id, cityCodes, SYSTEM_ACTOR);
  return { citiesSeeded, demoSurveyId: survey.id };
}
