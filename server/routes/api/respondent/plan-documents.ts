// Plan documents API (API.md «Plan documents»): a respondent attaches, lists, downloads and removes its own
// plan files (raw body, 30 MB, these routes only); organisers list, download and search a survey's plans.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, notFound } from '../../../domain/errors.js';
import { respondentActor } from '../../../plugins/respondent-auth.js';
import { formatOfContentType, MAX_PLAN_BYTES, PLAN_CONTENT_TYPES } from '../../../plans/formats.js';
import { tooLarge } from '../../../plans/read-document.js';
import { findPlanDocument, loadPlanDocumentContent } from '../../../repositories/plan-documents.js';
import { findSurvey } from '../../../repositories/surveys.js';
import { errorResponses, SurveyIdParams } from '../../../schemas/common.js';
import { AttachedSchema, OrganiserPlanDocumentSchema, PlanDocumentSchema, PlanFile, SearchHitSchema, ShareableSchema } from '../../../schemas/plan-documents.js';
import { attachPlanDocument, cleanFileName, getOwnPlanDocument, listPlanDocuments, parseShareable, removePlanDocument } from '../../../services/plan-documents.js';
import { searchPlans } from '../../../services/plan-search.js';
import { attachment } from '../../../services/workbooks.js';

const DocIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const SurveyDocParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }), docId: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

/** Sends a stored plan file as a download (nosniff: a browser never renders an uploaded file as a page). */
export async function sendPlanFile(reply: FastifyReply, db: Parameters<typeof loadPlanDocumentContent>[0], doc: { id: number; file_name: string; content_type: string }) {
  const content = await loadPlanDocumentContent(db, doc.id);
  if (!content) throw notFound('計画書');
  const ext = /\.[a-z0-9]{1,5}$/i.exec(doc.file_name)?.[0] ?? '';
  return reply
    .type(doc.content_type)
    .header('content-disposition', attachment(doc.file_name, `plan-${doc.id}${ext}`))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(content);
}

const planDocumentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Raw bodies for the four plan types, in this plugin's routes only, bounded while reading (413 past 30 MB).
  app.removeContentTypeParser('text/plain');
  const rawTypes = [PLAN_CONTENT_TYPES.pdf, PLAN_CONTENT_TYPES.docx, PLAN_CONTENT_TYPES.xlsx, 'text/plain'];
  app.addContentTypeParser(rawTypes, (request: FastifyRequest, payload, done) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > MAX_PLAN_BYTES) {
      payload.resume();
      return done(tooLarge(), undefined);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    let failed = false;
    payload.on('data', (chunk: Buffer) => {
      if (failed) return;
      total += chunk.length;
      if (total > MAX_PLAN_BYTES) {
        failed = true;
        return done(tooLarge(), undefined);
      }
      chunks.push(chunk);
    });
    payload.on('end', () => {
      if (!failed) done(null, Buffer.concat(chunks));
    });
    payload.on('error', (err) => {
      if (!failed) done(err, undefined);
    });
  });

  // Any other type reaches the handler without a body, which answers 415 naming the accepted types.
  app.addContentTypeParser('*', (_request: FastifyRequest, payload, done) => {
    payload.resume();
    done(null, undefined);
  });

  const toMeta = (d: { id: number; file_name: string; content_type: string; bytes: number; pages: number; shareable: 'all' | 'host' }) => ({
    id: d.id,
    fileName: d.file_name,
    contentType: d.content_type,
    bytes: d.bytes,
    pages: d.pages,
    shareable: d.shareable,
  });

  app.post(
    '/api/v1/response/plan-documents',
    {
      bodyLimit: MAX_PLAN_BYTES + 1024,
      preHandler: [app.requireRespondent, app.respondentCsrf],
      schema: {
        tags: ['respondent'],
        summary: '計画書の添付（本文にファイルそのもの。PDF / .docx / .xlsx / UTF-8 テキスト、30 MB まで。受付中のみ）',
        description: '読み取った計画名称・最新番号・計画期間・更新頻度・各対策の提案を根拠（ページと文）付きで返します。回答には反映しません。',
        security: [{ invitation: [] }],
        querystring: Type.Object({ fileName: Type.String({ minLength: 1, maxLength: 255 }), shareable: Type.Optional(ShareableSchema) }),
        response: { 201: AttachedSchema, ...errorResponses(400, 401, 403, 404, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const format = formatOfContentType(request.headers['content-type']);
      const body = request.body as Buffer | undefined;
      if (!format || !Buffer.isBuffer(body)) {
        throw new DomainError(415, 'UNSUPPORTED_MEDIA_TYPE', 'PDF・Word（.docx）・Excel（.xlsx）・テキスト（UTF-8）のいずれかを、その Content-Type で送ってください。');
      }
      const { surveyId, cityCode } = request.respondent!;
      const doc = await attachPlanDocument(app.db, {
        surveyId,
        cityCode,
        fileName: cleanFileName(request.query.fileName),
        format,
        content: body,
        shareable: parseShareable(request.query.shareable),
        actor: respondentActor(request),
      });
      return reply.code(201).send({ ...toMeta(doc), reading: doc.reading as never, warnings: doc.warnings });
    },
  );

  app.get(
    '/api/v1/response/plan-documents',
    {
      preHandler: app.requireRespondent,
      schema: { tags: ['respondent'], summary: '自団体が添付した計画書の一覧', security: [{ invitation: [] }], response: { 200: Type.Array(PlanDocumentSchema), ...errorResponses(401) } },
    },
    async (request) => {
      const { surveyId, cityCode } = request.respondent!;
      return (await listPlanDocuments(app.db, { surveyId, cityCode })).map(toMeta);
    },
  );

  app.get(
    '/api/v1/response/plan-documents/:id',
    {
      preHandler: app.requireRespondent,
      schema: { tags: ['respondent'], summary: '自団体が添付した計画書のファイル', security: [{ invitation: [] }], params: DocIdParams, response: { 200: PlanFile, ...errorResponses(401, 404) } },
    },
    async (request, reply) => {
      const { surveyId, cityCode } = request.respondent!;
      const doc = await getOwnPlanDocument(app.db, surveyId, cityCode, request.params.id);
      return sendPlanFile(reply, app.db, doc);
    },
  );

  app.delete(
    '/api/v1/response/plan-documents/:id',
    {
      preHandler: [app.requireRespondent, app.respondentCsrf],
      schema: { tags: ['respondent'], summary: '添付した計画書の削除（受付中のみ）', security: [{ invitation: [] }], params: DocIdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404) } },
    },
    async (request, reply) => {
      const { surveyId, cityCode } = request.respondent!;
      await removePlanDocument(app.db, { surveyId, cityCode, id: request.params.id, actor: respondentActor(request) });
      return reply.code(204).send(null);
    },
  );

  const requireSurvey = async (id: number) => {
    if (!(await findSurvey(app.db, id))) throw notFound('調査');
  };

  app.get(
    '/api/v1/surveys/:id/plan-documents',
    {
      preHandler: app.requireOrganiser,
      schema: { tags: ['surveys'], summary: '調査に添付された計画書の一覧', security: [{ bearer: [] }], params: SurveyIdParams, response: { 200: Type.Array(OrganiserPlanDocumentSchema), ...errorResponses(401, 403, 404) } },
    },
    async (request) => {
      await requireSurvey(request.params.id);
      return (await listPlanDocuments(app.db, { surveyId: request.params.id })).map((d) => ({ ...toMeta(d), cityCode: d.city_code }));
    },
  );

  app.get(
    '/api/v1/surveys/:id/plan-documents/search',
    {
      preHandler: app.requireOrganiser,
      schema: {
        tags: ['surveys'],
        summary: '計画書の全文検索（ページ番号と前後の文）',
        description: '部分一致で探すので、「RPA」「BCP」「電子」のような 2〜3 文字の語も見つかります。全角・半角、英字の大小は区別しません。',
        security: [{ bearer: [] }],
        params: SurveyIdParams,
        querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 200: Type.Array(SearchHitSchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      await requireSurvey(request.params.id);
      return (await searchPlans(app.db, request.params.id, request.query.q)).map((h) => ({ docId: h.docId, cityCode: h.cityCode, page: h.page, snippet: h.snippet }));
    },
  );

  app.get(
    '/api/v1/surveys/:id/plan-documents/:docId',
    {
      preHandler: app.requireOrganiser,
      schema: { tags: ['surveys'], summary: '計画書のファイル', security: [{ bearer: [] }], params: SurveyDocParams, response: { 200: PlanFile, ...errorResponses(401, 403, 404) } },
    },
    async (request, reply) => {
      const doc = await findPlanDocument(app.db, request.params.docId);
      if (!doc || doc.survey_id !== request.params.id) throw notFound('計画書');
      return sendPlanFile(reply, app.db, doc);
    },
  );
};

export default planDocumentRoutes;
