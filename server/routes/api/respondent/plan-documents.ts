// Plan documents API (API.md «Plan documents»), the respondent's part: it attaches, lists, downloads and
// removes its own plan files (raw body, 30 MB, these routes only).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../../domain/errors.js';
import { respondentActor } from '../../../plugins/respondent-auth.js';
import { formatOfContentType, MAX_PLAN_BYTES, PLAN_CONTENT_TYPES } from '../../../plans/formats.js';
import { tooLarge } from '../../../plans/read-document.js';
import { errorResponses } from '../../../schemas/common.js';
import { AttachedSchema, PlanDocumentSchema, PlanFile, ShareableSchema } from '../../../schemas/plan-documents.js';
import { attachPlanDocument, cleanFileName, getOwnPlanDocument, listPlanDocuments, parseShareable, removePlanDocument } from '../../../services/plan-documents.js';
import { planDocumentMeta, sendPlanFile } from '../downloads.js';

const DocIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

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

  app.post(
    '/response/plan-documents',
    {
      bodyLimit: MAX_PLAN_BYTES + 1024,
      preHandler: app.respondentCsrf,
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
      return reply.code(201).send({ ...planDocumentMeta(doc), reading: doc.reading as never, warnings: doc.warnings });
    },
  );

  app.get(
    '/response/plan-documents',
    {
      schema: { tags: ['respondent'], summary: '自団体が添付した計画書の一覧', security: [{ invitation: [] }], response: { 200: Type.Array(PlanDocumentSchema), ...errorResponses(401) } },
    },
    async (request) => {
      const { surveyId, cityCode } = request.respondent!;
      return (await listPlanDocuments(app.db, { surveyId, cityCode })).map(planDocumentMeta);
    },
  );

  app.get(
    '/response/plan-documents/:id',
    {
      schema: { tags: ['respondent'], summary: '自団体が添付した計画書のファイル', security: [{ invitation: [] }], params: DocIdParams, response: { 200: PlanFile, ...errorResponses(401, 404) } },
    },
    async (request, reply) => {
      const { surveyId, cityCode } = request.respondent!;
      const doc = await getOwnPlanDocument(app.db, surveyId, cityCode, request.params.id);
      return sendPlanFile(reply, app.db, doc);
    },
  );

  app.delete(
    '/response/plan-documents/:id',
    {
      preHandler: app.respondentCsrf,
      schema: { tags: ['respondent'], summary: '添付した計画書の削除（受付中のみ）', security: [{ invitation: [] }], params: DocIdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404) } },
    },
    async (request, reply) => {
      const { surveyId, cityCode } = request.respondent!;
      await removePlanDocument(app.db, { surveyId, cityCode, id: request.params.id, actor: respondentActor(request) });
      return reply.code(204).send(null);
    },
  );
};

export default planDocumentRoutes;
