// Account management by admins: add staff (or admin) accounts, disable and re-enable them; audited.
import { type Db, inTransaction } from '../db/database.js';
import type { Organiser } from '../db/schema.js';
import { badRequest, conflict, notFound } from '../domain/errors.js';
import type { OrganiserRole } from '../domain/glossary.js';
import { hashPassword } from '../lib/passwords.js';
import { isAccountEmail } from '../domain/normalise.js';
import { type Actor, recordAudit } from '../repositories/audit.js';
import { setOrganiserDisabled } from '../repositories/organiser-accounts.js';
import { bumpSessionVersion, createOrganiser, findOrganiser, findOrganiserByEmail } from '../repositories/organisers.js';

export const MIN_PASSWORD_LENGTH = 10;

export interface NewAccountInput {
  email: string;
  name: string;
  role: OrganiserRole;
  password: string;
}

/** What the audit log keeps of an account (never the password hash). */
export function accountView(o: Organiser) {
  return { id: o.id, email: o.email, name: o.name, role: o.role, disabledAt: o.disabled_at };
}

export async function addAccount(db: Db, input: NewAccountInput, actor: Actor): Promise<Organiser> {
  const email = input.email.trim().toLowerCase();
  const errors = [];
  if (!isAccountEmail(email)) errors.push({ path: '/email', message: 'メールアドレスの形式が正しくありません' });
  if (input.password.length < MIN_PASSWORD_LENGTH) errors.push({ path: '/password', message: `初期パスワードは ${MIN_PASSWORD_LENGTH} 文字以上にしてください` });
  if (!['admin', 'staff'].includes(input.role)) errors.push({ path: '/role', message: '権限を選んでください' });
  if (errors.length > 0) throw badRequest('入力内容に誤りがあります', errors);
  const passwordHash = await hashPassword(input.password);
  return inTransaction(db, async (trx) => {
    if (await findOrganiserByEmail(trx, email)) {
      throw badRequest('このメールアドレスのアカウントは既にあります', [{ path: '/email', message: 'このメールアドレスのアカウントは既にあります' }]);
    }
    // the admin chose this password: the person changes it at the first login
    const organiser = await createOrganiser(trx, { email, name: input.name.trim(), passwordHash, role: input.role, mustChangePassword: true });
    await recordAudit(trx, { actor, action: 'create', entity: 'organiser', entityId: organiser.id, after: accountView(organiser) });
    return organiser;
  });
}

/** Disables (or re-enables) an account; a disabled account's sessions stop working at once. */
export async function setAccountDisabled(db: Db, id: number, disabled: boolean, actor: Actor & { organiserId?: number }, now: Date): Promise<Organiser> {
  if (disabled && actor.organiserId === id) throw conflict('自分自身のアカウントは無効にできません');
  return inTransaction(db, async (trx) => {
    const before = await findOrganiser(trx, id);
    if (!before) throw notFound('アカウント');
    const after = (await setOrganiserDisabled(trx, id, disabled ? now : null))!;
    // its sessions end for good: re-enabling the account later does not revive an old token
    if (disabled) await bumpSessionVersion(trx, id);
    await recordAudit(trx, {
      actor: { type: actor.type, id: actor.id },
      action: disabled ? 'disable' : 'enable',
      entity: 'organiser',
      entityId: id,
      before: accountView(before),
      after: accountView(after),
    });
    return after;
  });
}
