// Invitations and mail pages: per-city status with times, issue+send to all or selected cities, editable
// texts, reminders with a preview, retries of failures, and the outbox as .eml files or one zip.
import { MAIL_KIND_LABELS, MAIL_STATUS_LABELS } from '../../../domain/glossary.js';
import iconv from 'iconv-lite';
import { toCsv } from '../../../domain/csv.js';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, DomainError, type FieldError, notFound } from '../../../domain/errors.js';

const gone = (message: string) => new DomainError(410, 'GONE', message);
import { MAIL_FIELDS, type MailTextKind } from '../../../mail/mail-texts.js';
import { organiserActor } from '../../../plugins/auth.js';
import { findMail, listMail } from '../../../repositories/mail.js';
import { invitationPreview, mailMergeRows, markMailsSent, emlFilename, emlOf, outboxZip, reminderPreview, retryMail, saveMailText, sendInvitations, sendReminders, surveyMailText, } from '../../../services/mailings.js';
import { trackCities } from '../../../services/tracking.js';
import { cityCodeList, formBody, noticeQuery, RowId, SurveyPageParams, text } from '../../../schemas/pages.js';
import { assertValidForm } from '../page-errors.js';
import { mailRowView } from '../../../views/view-models.js';
import { asArray, formErrors, mailSummary, pageAuth, redirectWithNotice, renderPage } from './common.js';

type Req = FastifyRequest<{ Params: { id: number; mailId?: number; kind?: string }; Querystring: Record<string, string | undefined>; Body: Record<string, string | string[] | number | undefined> }>;

const MailParams = Type.Object({ id: RowId, mailId: RowId });
const MailTextParams = Type.Object({ id: RowId, kind: Type.Union([Type.Literal('invitation'), Type.Literal('reminder')]) });
const InvitationForm = formBody({ scope: text(20), cityCodes: cityCodeList, confirm: text(2) });
const MailTextForm = formBody({ subject: text(1000), body: text(50000), reset: text(2) });
// one mail of the 送信トレイ (mailId), or all of them (all=1)
const MarkSentForm = formBody({ all: text(2), mailId: Type.Optional(Type.Union([Type.Literal(''), RowId])) });

const STATUS_LABELS = MAIL_STATUS_LABELS;
const markedBy = (m: { marked_sent_by: string | null }) => (m.marked_sent_by ? `（${m.marked_sent_by} が送信済みにしました）` : '');

const invitationPages: FastifyPluginAsync = async (app) => {
  const auth = pageAuth(app);
  const deps = (request: Req) => ({ db: app.db, mailer: app.mailer, publicUrl: app.config.publicUrl, actor: organiserActor(request), links: app.links, now: app.clock() });

  async function show(request: Req, reply: FastifyReply, extra: Record<string, unknown> = {}) {
    const survey = request.survey!;
    const cities = await trackCities(app.db, survey);
    const mails = await listMail(app.db, { surveyId: survey.id });
    return renderPage(request, reply, 'pages/organiser/invitations.hbs', {
      title: `依頼・メール（${survey.title}）`,
      survey,
      smtp: app.mailer.smtp,
      cities,
      failedCount: cities.filter((c) => c.status === 'failed').length,
      outbox: mails.filter((m) => m.status === 'outbox'),
      mails: mails.map((m) => ({ ...mailRowView(m), statusLabel: `${STATUS_LABELS[m.status]}${markedBy(m)}`, kindLabel: MAIL_KIND_LABELS[m.kind] })),
      notice: request.query.notice,
      ...extra,
    });
  }

  app.get('/organiser/surveys/:id/invitations', { schema: { hide: true, params: SurveyPageParams, querystring: noticeQuery() }, preHandler: auth }, (request, reply) => show(request as Req, reply));

  app.post('/organiser/surveys/:id/invitations', { schema: { hide: true, params: SurveyPageParams, body: InvitationForm }, attachValidation: true, preHandler: [auth, app.csrfProtection] }, async (req, reply) => {
    const request = req as Req;
    const surveyId = request.survey!.id;
    try {
      assertValidForm(request);
      const selected = asArray(request.body.cityCodes);
      if (request.body.scope !== 'all' && selected.length === 0) throw badRequest('依頼を送る団体を選んでください', [{ path: '/cityCodes', message: '依頼を送る団体を選んでください' }]);
      // first a confirmation: who gets a mail, one real mail as it will read, and the links a 再発行 would end
      if (request.body.confirm !== '1') {
        const survey = request.survey!;
        const cityCodes = request.body.scope === 'all' ? undefined : selected;
        const { recipients, preview } = await invitationPreview(app.db, survey, cityCodes, app.config.publicUrl, organiserActor(request));
        const inUse = cityCodes
          ? (await trackCities(app.db, survey)).filter((c) => cityCodes.includes(c.cityCode) && c.hasActiveLink && (c.openedAt !== null || c.draft || c.status !== 'link_issued'))
          : [];
        return renderPage(request, reply, 'pages/organiser/invitations-confirm.hbs', {
          title: `依頼メールの確認（${survey.title}）`,
          survey,
          scope: request.body.scope === 'all' ? 'all' : 'selected',
          selected,
          recipients,
          sendable: recipients.filter((r) => r.email).length,
          preview,
          smtp: app.mailer.smtp,
          inUse: inUse.map((c) => ({ name: c.name, state: c.draft ? '一時保存中の回答があります' : c.openedAt ? '回答画面を開いています' : 'リンクを送付済みです' })),
        });
      }
      const outcomes = await sendInvitations(deps(request), surveyId, request.body.scope === 'all' ? undefined : selected);
      return redirectWithNotice(reply, `/organiser/surveys/${surveyId}/invitations`, mailSummary(outcomes, '依頼メール'));
    } catch (err) {
      return show(request, reply.code(400), { errors: formErrors(err) });
    }
  });

  app.post('/organiser/surveys/:id/mails/:mailId/retry', { schema: { hide: true, params: MailParams, body: formBody() }, preHandler: [auth, app.csrfProtection] }, async (req, reply) => {
    const request = req as Req;
    const surveyId = request.survey!.id;
    const result = await retryMail(deps(request), surveyId, request.params.mailId!);
    const text = result.status === 'queued' ? '再送します（数秒で送信されます。結果は送信記録に表示します）' : result.status === 'failed' ? `再送に失敗しました: ${result.error}` : '送信トレイに残しました';
    return redirectWithNotice(reply, `/organiser/surveys/${surveyId}/invitations`, text);
  });

  app.get('/organiser/surveys/:id/reminders', { schema: { hide: true, params: SurveyPageParams }, preHandler: auth }, async (req, reply) => {
    const request = req as Req;
    const survey = request.survey!;
    const { recipients, preview } = await reminderPreview(app.db, survey, app.config.publicUrl, organiserActor(request));
    return renderPage(request, reply, 'pages/organiser/reminders.hbs', { title: `督促（${survey.title}）`, survey, recipients, preview, smtp: app.mailer.smtp });
  });

  app.post('/organiser/surveys/:id/reminders', { schema: { hide: true, params: SurveyPageParams, body: formBody() }, preHandler: [auth, app.csrfProtection] }, async (req, reply) => {
    const request = req as Req;
    const surveyId = request.survey!.id;
    const outcomes = await sendReminders(deps(request), surveyId);
    return redirectWithNotice(reply, `/organiser/surveys/${surveyId}/invitations`, mailSummary(outcomes, '督促メール'));
  });

  async function showTexts(request: Req, reply: FastifyReply, extra: Record<string, unknown> = {}) {
    const survey = request.survey!;
    return renderPage(request, reply, 'pages/organiser/mail-texts.hbs', {
      title: `メール文面（${survey.title}）`,
      survey,
      fields: MAIL_FIELDS.map((f) => ({ ...f, token: `{{${f.name}}}` })),
      texts: (['invitation', 'reminder'] as const).map((kind) => {
        // the form that failed comes back as typed, with each error beside its field
        const typed = extra.kind === kind ? (extra.typed as { subject: string; body: string }) : undefined;
        const errors = typed ? ((extra.errors as FieldError[] | undefined) ?? []) : [];
        const errorOf = (path: string) => errors.filter((e) => e.path === path).map((e) => e.message);
        return {
          kind,
          label: kind === 'invitation' ? '依頼メール' : '督促メール',
          ...surveyMailText(survey, kind),
          ...(typed ?? {}),
          subjectErrors: errorOf('/subject'),
          bodyErrors: errorOf('/body'),
        };
      }),
      notice: request.query.notice,
      ...extra,
      errors: (extra.errors as FieldError[] | undefined)?.map((e) => ({ ...e, fieldId: `${String(extra.kind)}-${e.path === '/subject' ? 'subject' : 'body'}` })),
    });
  }

  app.get('/organiser/surveys/:id/mail-texts', { schema: { hide: true, params: SurveyPageParams, querystring: noticeQuery() }, preHandler: auth }, (request, reply) => showTexts(request as Req, reply));

  app.post('/organiser/surveys/:id/mail-texts/:kind', { schema: { hide: true, params: MailTextParams, body: MailTextForm }, attachValidation: true, preHandler: [auth, app.csrfProtection] }, async (req, reply) => {
    const request = req as Req;
    const surveyId = request.survey!.id;
    const kind = request.params.kind as MailTextKind;
    if (kind !== 'invitation' && kind !== 'reminder') throw notFound('メール文面');
    const text = request.body.reset === '1' ? 'reset' : { subject: String(request.body.subject ?? ''), body: String(request.body.body ?? '').replace(/\r\n/g, '\n') };
    try {
      assertValidForm(request);
      const text = request.body.reset === '1' ? 'reset' : { subject: String(request.body.subject ?? ''), body: String(request.body.body ?? '').replace(/\r\n/g, '\n') };
      await saveMailText(app.db, surveyId, kind, text, organiserActor(request));
      return redirectWithNotice(reply, `/organiser/surveys/${surveyId}/mail-texts`, text === 'reset' ? '既定の文面に戻しました。' : '文面を保存しました。');
    } catch (err) {
      return showTexts(request, reply.code(400), { errors: formErrors(err), kind, typed: text === 'reset' ? undefined : text });
    }
  });

  // 差し込み印刷: a POST (it may issue a first link to cities that have none), answered with the file
  app.post('/organiser/surveys/:id/mail-merge', { schema: { hide: true, params: SurveyPageParams, body: formBody({ kind: text(20), encoding: text(20) }) }, preHandler: [auth, app.csrfProtection] }, async (req, reply) => {
    const request = req as Req;
    const surveyId = request.survey!.id;
    const kind = request.body.kind === 'reminder' ? 'reminder' : 'invitation';
    const rows = await mailMergeRows(deps(request), surveyId, kind);
    const csv = toCsv(['宛先', '件名', '本文', '団体コード', '市名'], rows.map((r) => [r.to, r.subject, r.body, r.cityCode, r.cityName]));
    const sjis = request.body.encoding !== 'utf8';
    const label = kind === 'reminder' ? '督促' : '依頼';
    const name = `差し込み印刷_${label}_${sjis ? 'Shift_JIS' : 'UTF-8'}.csv`;
    return reply
      .type(sjis ? 'text/csv; charset=Shift_JIS' : 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="mail-merge-${kind}.csv"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .header('cache-control', 'no-store')
      .send(sjis ? iconv.encode(csv, 'CP932') : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]));
  });

  // 「送信済みにする」: one mail (mailId) or every mail of the 送信トレイ (all=1, after sending the zip's)
  app.post('/organiser/surveys/:id/outbox/mark-sent', { schema: { hide: true, params: SurveyPageParams, body: MarkSentForm }, preHandler: [auth, app.csrfProtection] }, async (req, reply) => {
    const request = req as Req;
    const surveyId = request.survey!.id;
    const mailId = request.body.mailId;
    const ids = request.body.all === '1' ? 'all' : typeof mailId === 'number' ? [mailId] : [];
    const n = await markMailsSent(deps(request), surveyId, ids);
    return redirectWithNotice(reply, `/organiser/surveys/${surveyId}/invitations`, n > 0 ? `${n} 通を送信済みにしました。` : '送信済みにするメールはありませんでした。');
  });

  app.get('/organiser/surveys/:id/outbox.zip', { schema: { hide: true, params: SurveyPageParams }, preHandler: auth }, async (req, reply) => {
    const request = req as Req;
    const survey = request.survey!;
    const zip = await outboxZip(app.db, app.links, await listMail(app.db, { surveyId: survey.id, status: 'outbox' }), app.config.mailFrom);
    return reply
      .type('application/zip')
      .header('Content-Disposition', `attachment; filename="outbox-survey-${survey.id}.zip"`)
      .send(zip);
  });

  app.get('/organiser/surveys/:id/mails/:mailId.eml', { schema: { hide: true, params: MailParams }, preHandler: auth }, async (req, reply) => {
    const request = req as Req;
    const mail = await findMail(app.db, request.params.mailId!);
    if (!mail || mail.survey_id !== request.survey!.id) throw notFound('メール');
    const eml = await emlOf(app.db, app.links, mail, app.config.mailFrom);
    if (!eml) throw gone('このメールの個人用リンクは再発行により無効になりました。新しいリンクで依頼を送り直してください');
    return reply
      .type('message/rfc822')
      .header('Content-Disposition', `attachment; filename="${emlFilename(mail)}"`)
      .send(eml);
  });
};

export default invitationPages;
