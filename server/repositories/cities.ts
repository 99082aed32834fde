// SQL for the roster of cities (団体名簿).
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { City } from '../db/schema.js';

export interface CityInput {
  code: string;
  name: string;
  prefecture: string;
  population: number;
  populationDate?: string | null;
  email?: string | null;
  /** katakana reading; undefined leaves the stored one as it is */
  nameKana?: string | null;
}

export async function listCities(db: Db): Promise<City[]> {
  return db.selectFrom('cities').selectAll().orderBy('code').execute();
}

export async function findCity(db: Db, code: string): Promise<City | undefined> {
  return db.selectFrom('cities').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function findCities(db: Db, codes: string[]): Promise<City[]> {
  if (codes.length === 0) return [];
  return db.selectFrom('cities').selectAll().where('code', 'in', codes).execute();
}

export async function countCities(db: Db): Promise<number> {
  const row = await db.selectFrom('cities').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Insert or update by code; call inside a transaction for all-or-nothing. */
export async function upsertCities(db: Db, cities: CityInput[]): Promise<number> {
  for (const c of cities) {
    const values = {
      code: c.code,
      name: c.name,
      prefecture: c.prefecture,
      population: c.population,
      population_date: c.populationDate ?? null,
      email: c.email ?? null,
      ...(c.nameKana === undefined ? {} : { name_kana: c.nameKana }),
    };
    await db
      .insertInto('cities')
      .values(values)
      .onConflict((oc) =>
        oc.column('code').doUpdateSet({
          name: values.name,
          prefecture: values.prefecture,
          population: values.population,
          population_date: values.population_date,
          email: values.email,
          ...(values.name_kana === undefined ? {} : { name_kana: values.name_kana }),
          updated_at: sql`now()`,
        }),
      )
      .execute();
  }
  return cities.length;
}
