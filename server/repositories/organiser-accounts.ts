// SQL for managing organiser accounts (list, disable/enable); creation and lookup are in organisers.ts.
import type { Db } from '../db/database.js';
import type { Organiser } from '../db/schema.js';

export async function listOrganisers(db: Db): Promise<Organiser[]> {
  return db.selectFrom('organisers').selectAll().orderBy('id').execute();
}

export async function setOrganiserDisabled(db: Db, id: number, disabledAt: Date | null): Promise<Organiser | undefined> {
  return db.updateTable('organisers').set({ disabled_at: disabledAt }).where('id', '=', id).returningAll().executeTakeFirst();
}
