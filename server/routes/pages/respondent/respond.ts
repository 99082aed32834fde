// The respondent's pages: the personal link /r/<token> (GET shows a page and changes nothing — mail scanners
// fetch every link; its button POSTs, which starts the session), the form (一時保存 / 回答を送信 with an error
// summary; what can be saved is saved even when a submit fails), the conflict page when someone else saved
// first (both versions side by side, chosen field by field), the confirmation and the read-only summary.
// Every failure on these pages is a Japanese page that keeps what was typed where it can, never a JSON body.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Survey } from '../../../db/schema.js';
import { SURVEY_STATUS_LABELS } from '../../../domain/glossary.js';
import { deadlinePassed, deadlinePassesAt } from '../../../domain/deadlines.js';
import { RESPONDENT_COOKIE, respondentActor } from '../../../plugins/respondent-auth.js';
import { findCity } from '../../../repositories/cities.js';
import { respondentPageFingerprint } from '../../../repositories/respondent-page.js';
import { openInvitation, sessionExpiry } from '../../../services/invitations.js';
import { discardChanges, getResponse, ResponseConflict } from '../../../services/responses.js';
import { takeFields, valuesFromAnswers, valuesFromBody } from './form.js';
import { surveyPageView } from '../../../views/view-models.js';
import { type Body, FormBody, FormQuery, NO_STORE, respondentViews, TokenParams, UNSUBMITTED_NOTICE } from './views.js';

/** What the personal link's page says and offers, by the survey's stage (after the deadline it no longer asks for answers). */
const LINK_ENTRY: Record<Survey['status'], { showDeadline: boolean; lead: string; button: string }> = {
  draft: { showDeadline: true, lead: '回答の受付はまだ始まっていません。受付開始後に、下のボタンから回答画面を開いてください。', button: '回答画面を開く' },
  open: { showDeadline: true, lead: '下のボタンを押すと回答画面を開きます。', button: '回答画面を開く' },
  closed: { showDeadline: false, lead: '回答の受付は終了しました。下のボタンから、貴市の回答の内容をご覧いただけます。', button: '回答の内容を見る' },
  published: { showDeadline: false, lead: '調査結果を公表しました。下のボタンから、貴市の回答の内容と調査結果をご覧いただけます。', button: '回答の内容と調査結果を見る' },
};

async function respondentPages(app: FastifyInstance) {
  const { message, context, pageState, renderForm, renderSummary, saveValues, versionOf } = respondentViews(app);


  function closedMessage(survey: Survey): string {
    return `この調査は「${SURVEY_STATUS_LABELS[survey.status]}」のため、回答の修正はできません。回答の内容は次のとおりです。`;
  }

  async function linkState(token: string, record: boolean, reply: FastifyReply) {
    const opened = await openInvitation(app.db, token, { record, now: app.clock() });
    if (opened.state === 'unknown') {
      await message(reply, 404, 'リンクが見つかりません', 'このリンクは無効です。メールに記載されたリンクを、途中で切れていないか確認して、もう一度開いてください。照会元がこの照会を取り消した場合（照会先から外した、調査を削除した）も、このリンクは使えません。ご不明な点は、依頼メールに記載の問い合わせ先へお問い合わせください。');
      return undefined;
    }
    if (opened.state === 'revoked') {
      await message(reply, 410, 'このリンクは使えなくなりました', 'このリンクは、新しいリンクの発行により無効になりました。最新の依頼メールに記載されたリンクを開いてください。');
      return undefined;
    }
    return opened;
  }

  app.get<{ Params: { token: string } }>('/r/:token', { schema: { hide: true, params: TokenParams } }, async (request, reply) => {
    const opened = await linkState(request.params.token, false, reply);
    if (!opened) return reply;
    const city = await findCity(app.db, opened.invitation.city_code);
    return reply.header('cache-control', NO_STORE).view('pages/respondent/link.hbs', {
      title: opened.survey.title,
      survey: surveyPageView(opened.survey),
      cityName: city?.name ?? opened.invitation.city_code,
      entry: LINK_ENTRY[opened.survey.status],
      action: `/r/${request.params.token}`,
    });
  });

  app.post<{ Params: { token: string } }>('/r/:token', { schema: { hide: true, params: TokenParams } }, async (request, reply) => {
    const opened = await linkState(request.params.token, true, reply);
    if (!opened) return reply;
    const { invitation, survey } = opened;
    const expires = sessionExpiry(survey.deadline, app.clock());
    const jwt = app.signRespondentSession({ surveyId: survey.id, cityCode: invitation.city_code, invitationId: invitation.id }, expires);
    reply.setCookie(RESPONDENT_COOKIE, jwt, { httpOnly: true, sameSite: 'lax', path: '/', secure: app.config.publicUrl.startsWith('https:'), expires });
    return reply.header('cache-control', NO_STORE).redirect('/respond', 303);
  });

  app.get<{ Querystring: { saved?: string; discarded?: string; plan?: string; planError?: string } }>(
    '/respond',
    {
      schema: {
        hide: true,
        querystring: FormQuery,
      },
    },
    async (request, reply) => {
      // The form as drawn before, when the data it was drawn from is unchanged (views/page-cache.ts)
      const session = app.respondentSession(request);
      const { saved, discarded, plan, planError } = request.query;
      const key = session && JSON.stringify([session.invitationId, session.surveyId, session.cityCode, saved, discarded, plan, planError]);
      const writes = app.database.writes?.();
      const kept = key ? app.renderedPages.peek(key, app.clock()) : undefined;
      if (key && kept && ((writes !== undefined && writes === kept.writes) || (await respondentPageFingerprint(app.db, session)) === kept.fingerprint)) {
        kept.writes = writes;
        request.respondent = { ...session, via: 'cookie' };
        return reply.header('cache-control', NO_STORE).type('text/html; charset=utf-8').send(app.renderedPages.take(key, kept, reply.generateCsrf()));
      }
      const ctx = await context(request, reply, { response: true, planDocuments: true });
      if (!ctx) return reply;
      const state = pageState(ctx);
      if (ctx.survey.status === 'draft') {
        return message(reply, 200, 'まだ回答を受け付けていません', `「${ctx.survey.title}」の回答受付はまだ始まっていません。受付開始後に、もう一度このリンクを開いてください。`);
      }
      if (ctx.survey.status !== 'open') {
        return renderSummary(reply, ctx, state, { heading: '回答の内容（受付終了）', message: closedMessage(ctx.survey), canEdit: false });
      }
      const late = deadlinePassed(ctx.survey.deadline, app.clock());
      const notice =
        request.query.saved === '1'
          ? state.hasUnsubmittedChanges
            ? '一時保存しました。変更を集計に反映するには「回答を送信」を押してください。'
            : late
              ? '一時保存しました。回答期限を過ぎています。入力が終わりましたら、できるだけ早く「回答を送信」を押してください。'
              : '一時保存しました。回答期限までに「回答を送信」を押してください。'
          : request.query.discarded === '1'
            ? '送信後の変更を取り消し、送信済みの回答に戻しました。'
            : undefined;
      return renderForm(reply, ctx, state, {
        notice,
        plan: { notice: plan, error: planError },
        planDocuments: ctx.page.planDocuments,
        keep: key ? { key, fingerprint: ctx.page.fingerprint, writes, validUntil: late ? undefined : deadlinePassesAt(ctx.survey.deadline) } : undefined,
      });
    },
  );

  app.post<{ Body: Body }>('/respond', { schema: { hide: true, body: FormBody }, preHandler: app.csrfProtection }, async (request, reply) => {
    const ctx = await context(request, reply);
    if (!ctx) return reply;
    const body = request.body ?? {};
    const values = valuesFromBody(body, ctx.definition.measures);
    return saveValues(request, reply, ctx, values, String(body.action ?? 'save'), versionOf(body));
  });

  // The conflict page's choice: each differing field from their input (default) or from the saved answers.
  app.post<{ Body: Body }>('/respond/merge', { schema: { hide: true, body: FormBody }, preHandler: app.csrfProtection }, async (request, reply) => {
    const ctx = await context(request, reply);
    if (!ctx) return reply;
    const body = request.body ?? {};
    const mine = valuesFromBody(body, ctx.definition.measures);
    const current = await getResponse(app.db, ctx.survey.id, ctx.city.code);
    const choice = String(body.choice ?? 'merge');
    const paths = Object.entries(body)
      .filter(([key, value]) => key.startsWith('pick:') && (choice === 'theirs' || (choice === 'merge' && value === 'theirs')))
      .map(([key]) => key.slice(5));
    if (choice === 'theirs') return reply.redirect('/respond', 303);
    const merged = choice === 'mine' ? mine : takeFields(mine, valuesFromAnswers(current.model), paths);
    return saveValues(request, reply, ctx, merged, String(body.intent ?? 'save'), versionOf(body));
  });

  app.post<{ Body: Body }>('/respond/discard', { schema: { hide: true, body: FormBody }, preHandler: app.csrfProtection }, async (request, reply) => {
    const ctx = await context(request, reply);
    if (!ctx) return reply;
    try {
      await discardChanges(app.db, { surveyId: ctx.survey.id, cityCode: ctx.city.code, actor: respondentActor(request), expectedVersion: versionOf(request.body ?? {}), now: app.clock() });
    } catch (err) {
      if (!(err instanceof ResponseConflict)) throw err;
      return renderForm(reply, ctx, err.current, { notice: '別の画面で回答が更新されていたため、変更を取り消していません。最新の内容を表示しています。' });
    }
    return reply.redirect('/respond?discarded=1', 303);
  });

  app.get('/respond/confirmation', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await context(request, reply, { response: true });
    if (!ctx) return reply;
    const state = pageState(ctx);
    const open = ctx.survey.status === 'open';
    const late = deadlinePassed(ctx.survey.deadline, app.clock());
    return renderSummary(reply, ctx, state, {
      heading: state.status === 'submitted' ? '回答を送信しました' : '回答の内容',
      notice:
        state.status === 'submitted'
          ? `ご回答ありがとうございました。次の内容で受け付けました。${open ? (late ? '受付中は修正して再送信できます。' : '回答期限までは修正して再送信できます。') : ''}`
          : undefined,
      message: open ? (state.hasUnsubmittedChanges ? UNSUBMITTED_NOTICE : undefined) : closedMessage(ctx.survey),
      canEdit: open,
    });
  });
}

export default respondentPages;
