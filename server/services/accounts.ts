// Organiser accounts: bootstrap of the first admin, and login.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { Organiser } from '../db/schema.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../domain/passwords.js';
import { recordAudit, SYSTEM_ACTOR } from '../repositories/audit.js';
import { countOrganisers, createOrganiser, findOrganiserByEmail } from '../repositories/organisers.js';

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
  const organiser = await createOrganiser(db, { email, name: '管理者', passwordHash: await hashPassword(password), role: 'admin' });
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
