// Roster use cases: upsert all-or-nothing, with an audit entry per changed city.
import { type Db, inTransaction } from '../db/database.js';
import type { City } from '../db/schema.js';
import { badRequest } from '../domain/errors.js';
import { normaliseNameKana } from '../domain/roster-import.js';
import { type Actor, recordAudit } from '../repositories/audit.js';
import { type CityInput, findCities, upsertCities } from '../repositories/cities.js';
import type { CityView } from '../schemas/cities.js';

export function cityView(c: City): CityView {
  return {
    code: c.code,
    name: c.name,
    prefecture: c.prefecture,
    population: c.population,
    populationDate: c.population_date,
    email: c.email,
    nameKana: c.name_kana,
  };
}

export async function upsertRoster(db: Db, cities: CityInput[], actor: Actor): Promise<number> {
  const seen = new Map<string, number>();
  cities.forEach((c, i) => {
    if (seen.has(c.code)) {
      const message = `団体コード「${c.code}」が ${seen.get(c.code)! + 1} 件目と重複しています`;
      throw badRequest(message, [{ path: `/${i}/code`, message }]);
    }
    seen.set(c.code, i);
    if (typeof c.nameKana === 'string' && normaliseNameKana(c.nameKana) === undefined) {
      const message = `市名カナ「${c.nameKana}」はカタカナまたはひらがなで入力してください`;
      throw badRequest(message, [{ path: `/${i}/nameKana`, message }]);
    }
  });
  return inTransaction(db, async (trx) => {
    const before = new Map((await findCities(trx, cities.map((c) => c.code))).map((c) => [c.code, cityView(c)]));
    const n = await upsertCities(
      trx,
      cities.map((c) => ({
        ...c,
        name: c.name.trim(),
        prefecture: c.prefecture.trim(),
        email: c.email?.trim() || null,
        ...(c.nameKana === undefined ? {} : { nameKana: c.nameKana === null ? null : normaliseNameKana(c.nameKana) ?? null }),
      })),
    );
    const after = new Map((await findCities(trx, cities.map((c) => c.code))).map((c) => [c.code, cityView(c)]));
    for (const [code, view] of after) {
      const old = before.get(code);
      if (old && JSON.stringify(old) === JSON.stringify(view)) continue;
      await recordAudit(trx, { actor, action: old ? 'update' : 'create', entity: 'city', entityId: code, before: old, after: view });
    }
    return n;
  });
}
