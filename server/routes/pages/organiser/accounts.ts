// Accounts page (admins only): list, add staff accounts, disable and re-enable them.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { OrganiserRole } from '../../../domain/glossary.js';
import { organiserActor } from '../../../plugins/auth.js';
import { listOrganisers } from '../../../repositories/organiser-accounts.js';
import { addAccount, setAccountDisabled } from '../../../services/organiser-accounts.js';
import { formBody, noticeQuery, RowId, text } from '../../../schemas/pages.js';
import { assertValidForm } from '../page-errors.js';
import { formErrors, pageAuth, redirectWithNotice, renderPage } from './common.js';

type AddBody = { email?: string; name?: string; role?: string; password?: string };
const AddForm = formBody({ email: text(254), name: text(100), role: text(20), password: text(1024) });
const AccountParams = Type.Object({ id: RowId });

const accountPages: FastifyPluginAsync = async (app) => {
  const admin = pageAuth(app, { admin: true });

  const show = async (request: Parameters<typeof renderPage>[0], reply: Parameters<typeof renderPage>[1], extra: Record<string, unknown> = {}) => {
    const accounts = (await listOrganisers(app.db)).map((o) => ({
      id: o.id,
      email: o.email,
      name: o.name,
      roleLabel: o.role === 'admin' ? '管理者' : '職員',
      disabledAt: o.disabled_at,
      self: o.id === request.organiser!.id,
    }));
    return renderPage(request, reply, 'pages/organiser/accounts.hbs', {
      title: 'アカウント管理',
      accounts,
      notice: (request.query as { notice?: string }).notice,
      form: { role: 'staff' },
      ...extra,
    });
  };

  app.get('/organiser/accounts', { schema: { hide: true, querystring: noticeQuery() }, preHandler: admin }, (request, reply) => show(request, reply));

  app.post<{ Body: AddBody }>('/organiser/accounts', { schema: { hide: true, body: AddForm }, attachValidation: true, preHandler: [admin, app.csrfProtection] }, async (request, reply) => {
    // A repeated field arrives as an array: the first value counts, as for the other forms.
    const field = (v: unknown): string => (Array.isArray(v) ? field(v[0]) : typeof v === 'string' ? v : '');
    const form = { email: field(request.body.email), name: field(request.body.name), role: field(request.body.role ?? 'staff') };
    try {
      assertValidForm(request);
      const account = await addAccount(
        app.db,
        { ...form, role: form.role as OrganiserRole, password: field(request.body.password) },
        organiserActor(request),
      );
      return redirectWithNotice(reply, '/organiser/accounts', `${account.email} のアカウントを追加しました。初期パスワードを本人に伝えてください`);
    } catch (err) {
      return show(request, reply.code(400), { errors: formErrors(err), form });
    }
  });

  app.post<{ Params: { id: number }; Body: { action?: string } }>(
    '/organiser/accounts/:id',
    { schema: { hide: true, params: AccountParams, body: formBody({ action: text(20) }) }, preHandler: [admin, app.csrfProtection] },
    async (request, reply) => {
      const disable = request.body.action !== 'enable';
      try {
        const account = await setAccountDisabled(app.db, request.params.id, disable, {
          ...organiserActor(request),
          organiserId: request.organiser!.id,
        }, app.clock());
        return redirectWithNotice(reply, '/organiser/accounts', `${account.email} を${disable ? '無効' : '有効'}にしました`);
      } catch (err) {
        return show(request, reply.code(409), { errors: formErrors(err) });
      }
    },
  );
};

export default accountPages;
