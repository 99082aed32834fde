// SQL for organiser accounts (情報企画課 staff).
import type { Db } from '../db/database.js';
import type { Organiser } from '../db/schema.js';
import type { OrganiserRole } from '../domain/glossary.js';

export async function findOrganiserByEmail(db: Db, email: string): Promise<Organiser | undefined> {
  return db.selectFrom('organisers').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export async function findOrganiser(db: Db, id: number): Promise<Organiser | undefined> {
  return db.selectFrom('organisers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countOrganisers(db: Db): Promise<number> {
  const row = await db.selectFrom('organisers').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function createOrganiser(
  db: Db,
  values: { email: string; name?: string; passwordHash: string; role: OrganiserRole; mustChangePassword?: boolean },
): Promise<Organiser> {
  return db
    .insertInto('organisers')
    .values({ email: values.email.toLowerCase(), name: values.name ?? '', password_hash: values.passwordHash, role: values.role, must_change_password: values.mustChangePassword === true })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Ends every session of the organiser: tokens signed with an earlier version are refused from now on. */
export async function bumpSessionVersion(db: Db, id: number): Promise<void> {
  await db.updateTable('organisers').set((eb) => ({ session_version: eb('session_version', '+', 1) })).where('id', '=', id).execute();
}

/** A new password ends every session; `mustChange` marks a password set by someone else (to be changed at login). */
export async function setOrganiserPassword(db: Db, id: number, passwordHash: string, opts: { mustChange?: boolean } = {}): Promise<void> {
  await db
    .updateTable('organisers')
    .set((eb) => ({ password_hash: passwordHash, session_version: eb('session_version', '+', 1), must_change_password: opts.mustChange === true }))
    .where('id', '=', id)
    .execute();
}
