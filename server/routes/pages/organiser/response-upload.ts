// The organiser's upload of a city's returned Excel questionnaire (代理取込): the same dry-run preview, errors and
// confirmation as the respondent's page (pages/questionnaire/upload.hbs), saved as the city's draft and audited.
import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, notFound } from '../../../domain/errors.js';
import { organiserActor } from '../../../plugins/auth.js';
import { findParticipantCity } from '../../../repositories/responses.js';
import { importQuestionnaire, type ImportResult } from '../../../services/questionnaire-import.js';
import { CityPageParams } from '../../../schemas/pages.js';
import { QUESTIONNAIRE_MULTIPART } from '../respondent/questionnaire.js';
import { pageAuth, renderPage } from './common.js';

type Upload = { filename: string; data: Buffer };
type Req = FastifyRequest<{
  Params: { id: number; cityCode: string };
  Querystring: { saved?: number };
  Body: { file?: Upload | string; workbook?: string; version?: string; confirm?: string; reason?: string } | undefined;
}>;

const responseUploadPages: FastifyPluginAsync = async (app) => {
  await app.register(multipart, QUESTIONNAIRE_MULTIPART);
  const auth = pageAuth(app);

  async function target(request: Req) {
    const survey = request.survey!;
    const city = await findParticipantCity(app.db, survey.id, request.params.cityCode);
    if (!city) throw notFound('照会先団体');
    return { survey, city };
  }

  async function render(request: Req, reply: FastifyReply, t: Awaited<ReturnType<typeof target>>, data: { status?: number; errors?: Array<{ message: string }>; errorTitle?: string; lead?: string; preview?: ImportResult & { reason?: string }; workbook?: string; notice?: string; reason?: string }) {
    const base = `/organiser/surveys/${t.survey.id}/responses/${t.city.code}`;
    return renderPage(request, reply.code(data.status ?? 200), 'pages/questionnaire/upload.hbs', {
      title: `${t.city.name}の調査票（Excel）を取り込む`,
      heading: `${t.city.name}の調査票（Excel）を取り込む`,
      survey: t.survey,
      page: {
        organiser: true,
        reasonField: t.survey.status === 'closed',
        action: `${base}/questionnaire`,
        downloadHref: `/api/v1/surveys/${t.survey.id}/responses/${t.city.code}/questionnaire.xlsx`,
        back: { href: base, label: `${t.city.name}の回答へ戻る` },
      },
      ...data,
    });
  }

  app.get('/organiser/surveys/:id/responses/:cityCode/questionnaire', { schema: { hide: true, params: CityPageParams, querystring: Type.Object({ saved: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })) }) }, preHandler: auth }, async (req, reply) => {
    const request = req as Req;
    const t = await target(request);
    const saved = request.query.saved;
    return render(request, reply, t, { notice: saved !== undefined ? `調査票の内容を${t.city.name}の回答として一時保存しました（${saved} 件の変更）。` : undefined });
  });

  app.post(
    '/organiser/surveys/:id/responses/:cityCode/questionnaire',
    // the session is checked in onRequest, before the multipart body is read (preValidation)
    { schema: { hide: true, params: CityPageParams }, onRequest: auth, preHandler: app.csrfProtection },
    async (req, reply) => {
      const request = req as Req;
      const t = await target(request);
      const body = request.body ?? {};
      const reason = typeof body.reason === 'string' ? body.reason.slice(0, 500) : undefined;
      const confirm = body.confirm === '1' && typeof body.workbook === 'string';
      const data = confirm ? Buffer.from(body.workbook as string, 'base64') : typeof body.file === 'object' ? body.file.data : undefined;
      if (!data || data.length === 0) {
        return render(request, reply, t, { status: 400, errorTitle: 'ファイルが選ばれていません', errors: [{ message: '取り込む調査票（.xlsx）を選んでください' }], reason });
      }
      try {
        const result = await importQuestionnaire(app.db, {
          surveyId: t.survey.id,
          cityCode: t.city.code,
          body: data,
          dryRun: !confirm,
          actor: organiserActor(request),
          secret: app.config.jwtSecret,
          now: app.clock(),
          expectedVersion: confirm ? Number(body.version) : undefined,
          reason,
        });
        if (confirm) return reply.redirect(`/organiser/surveys/${t.survey.id}/responses/${t.city.code}/questionnaire?saved=${result.changed.length}`, 303);
        return render(request, reply, t, { preview: { ...result, reason }, workbook: data.toString('base64'), reason });
      } catch (err) {
        if (!(err instanceof DomainError) || err.statusCode >= 500) throw err;
        const title = err.statusCode === 409 ? '保存できませんでした（他の画面で更新されています）' : '調査票を受け付けられませんでした';
        return render(request, reply, t, { status: err.statusCode, errorTitle: title, lead: err.statusCode === 409 ? err.message : undefined, errors: err.errors?.length ? err.errors : [{ message: err.message }], reason });
      }
    },
  );
};

export default responseUploadPages;
