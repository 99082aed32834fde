// Organiser accounts: bootstrap of the first admin, and login.
import { randomBytes } from 'node:crypto';
import { type Db, inTransaction } from '../db/database.js';
import type { Organiser } from '../db/schema.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../lib/passwords.js';
import { recordAudit, SYSTEM_ACTOR } from '../repositories/audit.js';
import { badRequest } from '../domain/errors.js';
import { countOrganisers, createOrganiser, findOrganiserByEmail, setOrganiserPassword } from '../repositories/organisers.js';
import { MIN_PASSWORD_LENGTH } from './organiser-accounts.js';

export interface BootstrapResult {
  created: boolean;
  email?: string;
  /** Only when the password was generated here: printed once on the console, never stored in clear. */
  generatedPassword?: string;
}

/**
 * Creates the first organiser (an admin) when none exists: from ADMIN_EMAIL/ADMIN_PASSWORD, or, on the
 * embedded default with neither set, with a generated password. Never a fixed default password.
 */
export async function bootstrapAdmin(
  db: Db,
  opts: { email?: string; password?: string; allowGenerated: boolean },
): Promise<BootstrapResult> {
  if ((await countOrganisers(db)) > 0) return { created: false };
  let email = opts.email;
  let password = opts.password;
  let generatedPassword: string | undefined;
  if (!email || !password) {
    if (!opts.allowGenerated) return { created: false };
    email = 'admin@localhost';
    password = generatedPassword = randomBytes(12).toString('base64url');
  }
  // a printed, generated password is changed at the first login
  const organiser = await createOrganiser(db, { email, name: '管理者', passwordHash: await hashPassword(password), role: 'admin', mustChangePassword: generatedPassword !== undefined });
  await recordAudit(db, {
    actor: SYSTEM_ACTOR,
    action: 'create',
    entity: 'organiser',
    entityId: organiser.id,
    after: { email: organiser.email, role: organiser.role },
  });
  return { created: true, email: organiser.email, generatedPassword };
}

/** The organiser for these credentials, or null (same work whether or not the e-mail exists). */
export async function authenticateOrganiser(db: Db, email: string, password: string): Promise<Organiser | null> {
  const organiser = await findOrganiserByEmail(db, email.trim());
  if (!organiser || organiser.disabled_at) {
    await verifyPassword(await dummyPasswordHash(), password);
    return null;
  }
  return (await verifyPassword(organiser.password_hash, password)) ? organiser : null;
}

/**
 * Changes an organiser's own password after checking the current one; every session of the account ends
 * (the session version moves with the new hash, in one statement). Audited without either password.
 */
export async function changeOwnPassword(db: Db, organiser: Organiser, current: string, next: string): Promise<'changed' | 'wrong-password'> {
  if (!(await verifyPassword(organiser.password_hash, current))) return 'wrong-password';
  if (next.length < MIN_PASSWORD_LENGTH) {
    const message = `新しいパスワードは ${MIN_PASSWORD_LENGTH} 文字以上にしてください。`;
    throw badRequest(message, [{ path: '/newPassword', message }]);
  }
  const hash = await hashPassword(next);
  await inTransaction(db, async (trx) => {
    await setOrganiserPassword(trx, organiser.id, hash);
    await recordAudit(trx, { actor: { type: 'organiser', id: organiser.email }, action: 'change_password', entity: 'organiser', entityId: organiser.id });
  });
  return 'changed';
}

/**
 * `npm run reset-admin -- EMAIL` for a locked-out admin: a new one-time password (printed once), to be changed at the
 * next login; every session of the account ends. Audited.
 */
export async function resetPassword(db: Db, email: string): Promise<{ email: string; password: string }> {
  const organiser = await findOrganiserByEmail(db, email.trim());
  if (!organiser) throw badRequest(`アカウント「${email}」は見つかりません。`, [{ path: '/email', message: 'このメールアドレスのアカウントはありません。' }]);
  const password = randomBytes(12).toString('base64url');
  await inTransaction(db, async (trx) => {
    await setOrganiserPassword(trx, organiser.id, await hashPassword(password), { mustChange: true });
    await recordAudit(trx, { actor: SYSTEM_ACTOR, action: 'reset_password', entity: 'organiser', entityId: organiser.id, after: { email: organiser.email } });
  });
  return { email: organiser.email, password };
}
