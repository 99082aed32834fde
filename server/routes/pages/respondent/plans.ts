// The respondent's plan-document pages: attach / replace (multipart, works without JavaScript), remove,
// accept or reject proposals (saved as a draft, never submitted), and download other cities' shared plans.
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { DomainError } from '../../../domain/errors.js';
import { respondentActor } from '../../../plugins/respondent-auth.js';
import { formatOfFileName, MAX_PLAN_BYTES } from '../../../plans/formats.js';
import type { PlanReading } from '../../../plans/reading/read-plan.js';
import { findPlanDocument } from '../../../repositories/plan-documents.js';
import { acceptProposals, attachPlanDocument, changeShareable, cleanFileName, getOwnPlanDocument, listSharedPlans, proposalKeys, rejectProposals, removePlanDocument } from '../../../services/plan-documents.js';
import { planErrorCode } from '../../../services/plan-documents-view.js';
import { formBody, RowId, text } from '../../../schemas/pages.js';
import { sendPlanFile } from '../../api/downloads.js';
import { valuesFromBody } from './form.js';
import { type Body, respondentViews } from './views.js';

type Upload = { filename: string; data: Buffer; truncated: boolean };
type UploadBody = { file?: Upload | string; shareable?: string; replaceId?: string; version?: string };
/** A path id as the database can hold it; anything else is 0, which matches no document. */
const idOf = (v: string) => (/^[0-9]{1,10}$/.test(v) && Number(v) <= 2147483647 ? Number(v) : 0);
const DocParams = Type.Object({ id: RowId });
// the proposals to accept or reject (one checkbox, or several), and the answers' version the page showed
const ProposalsForm = formBody({ do: text(20), key: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 500 })), version: text(20) });
const back = (reply: FastifyReply, query: string) => reply.redirect(`/respond?${query}#plan-documents`, 303);

async function respondentPlanPages(app: FastifyInstance) {
  const views = respondentViews(app);
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    // the answer form comes along with the file (every answer field, and a radio per measure)
    limits: { fileSize: MAX_PLAN_BYTES, files: 50, fields: 2000 },
    throwFileSizeLimit: false,
    onFile: async (part) => {
      const data = await part.toBuffer().catch(() => Buffer.alloc(0));
      (part as unknown as { value: Upload }).value = { filename: part.filename, data, truncated: part.file.truncated };
    },
  });

  async function respondent(request: FastifyRequest, reply: FastifyReply) {
    const r = await app.findRespondent(request, { cookieOnly: true });
    if (!r) {
      await reply.code(401).header('cache-control', 'no-store').view('pages/respondent/message.hbs', {
        title: '回答画面を開けません',
        message: '回答画面は、依頼メールに記載された貴市専用のリンクから開いてください。',
      });
      return undefined;
    }
    request.respondent = r;
    return r;
  }
  const gate = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!(await respondent(request, reply))) return reply;
  };

  /** Attaches (or replaces) the uploaded file; the answer to show on the form: 'plan=attached' or 'planError=…'. */
  async function attachUpload(request: FastifyRequest<{ Body: UploadBody }>): Promise<string> {
    const { surveyId, cityCode } = request.respondent!;
    const body = (request.body ?? {}) as UploadBody & Record<string, unknown>;
    const replaceId = body.replaceId === undefined || body.replaceId === '' ? Number.NaN : idOf(String(body.replaceId));
    // from the answer form each file of the panel has its own field: the new one 「file」, a replacement 「replaceFile-<id>」
    const fromAnswerForm = body.version !== undefined;
    const part = fromAnswerForm && Number.isInteger(replaceId) ? body[`replaceFile-${replaceId}`] : body.file;
    const file = typeof part === 'object' && part !== null && !Array.isArray(part) ? (part as Upload) : undefined;
    if (!file || file.data.length === 0) return file?.truncated ? 'planError=too-large' : 'planError=no-file';
    if (file.truncated) return 'planError=too-large';
    const format = formatOfFileName(file.filename);
    if (!format) return 'planError=format';
    try {
      await attachPlanDocument(app.db, {
        surveyId,
        cityCode,
        fileName: cleanFileName(file.filename),
        format,
        content: file.data,
        // from the answer form the 提供可否 radios are the new file's: a replacement keeps the replaced file's
        shareable: (body.shareable === 'all' || body.shareable === 'host') && !(fromAnswerForm && Number.isInteger(replaceId)) ? body.shareable : undefined,
        replaceId: Number.isInteger(replaceId) ? replaceId : undefined,
        actor: respondentActor(request),
      });
    } catch (err) {
      if (err instanceof DomainError && err.statusCode < 500) return `planError=${planErrorCode(err)}`;
      throw err;
    }
    return 'plan=attached';
  }

  // The attach button belongs to the answer form (formaction), so the POST carries what was typed as well: the
  // file is attached, then the typed answers are saved as a draft the way 一時保存 saves them (errors and a
  // conflict come back on the form or the conflict page, with everything typed), so attaching loses nothing.
  app.post<{ Body: UploadBody }>('/respond/plans', { schema: { hide: true }, bodyLimit: MAX_PLAN_BYTES + 256 * 1024, preHandler: [gate, app.csrfProtection] }, async (request, reply) => {
    const outcome = await attachUpload(request);
    const body = (request.body ?? {}) as UploadBody & Body;
    if (body.version === undefined) return back(reply, outcome);
    const ctx = await views.context(request, reply);
    if (!ctx) return reply;
    const values = valuesFromBody(body, ctx.definition.measures);
    const [key, value] = outcome.split('=');
    return views.saveValues(request, reply, ctx, values, 'save', views.versionOf(body), {
      savedTo: `/respond?saved=1&${outcome}#plan-documents`,
      plan: key === 'plan' ? { notice: value } : { error: value },
    });
  });

  app.post<{ Params: { id: number } }>('/respond/plans/:id/remove', { schema: { hide: true, params: DocParams, body: formBody() }, preHandler: [gate, app.csrfProtection] }, async (request, reply) => {
    const { surveyId, cityCode } = request.respondent!;
    try {
      await removePlanDocument(app.db, { surveyId, cityCode, id: request.params.id, actor: respondentActor(request) });
    } catch (err) {
      if (err instanceof DomainError && err.statusCode < 500) return back(reply, `planError=${planErrorCode(err)}`);
      throw err;
    }
    return back(reply, 'plan=removed');
  });

  app.post<{ Params: { id: number }; Body: { shareable?: unknown } }>('/respond/plans/:id/share', { schema: { hide: true, params: DocParams, body: formBody({ shareable: text(10) }) }, preHandler: [gate, app.csrfProtection] }, async (request, reply) => {
    const { surveyId, cityCode } = request.respondent!;
    const shareable = request.body?.shareable;
    if (shareable !== 'all' && shareable !== 'host') return back(reply, 'planError=no-share');
    try {
      await changeShareable(app.db, { surveyId, cityCode, id: request.params.id, shareable, actor: respondentActor(request) });
    } catch (err) {
      if (err instanceof DomainError && err.statusCode < 500) return back(reply, `planError=${planErrorCode(err)}`);
      throw err;
    }
    return back(reply, 'plan=shared');
  });

  app.post<{ Params: { id: number }; Body: { do?: string; key?: string[]; version?: string } }>(
    '/respond/plans/:id/proposals',
    { schema: { hide: true, params: DocParams, body: ProposalsForm }, preHandler: [gate, app.csrfProtection] },
    async (request, reply) => {
      const { surveyId, cityCode } = request.respondent!;
      const docId = request.params.id;
      const body = request.body ?? {};
      const action = body.do ?? 'accept';
      let keys = body.key ?? [];
      const version = Number.parseInt(String(body.version ?? ''), 10);
      try {
        if (action === 'accept-all' || action === 'reject-all') {
          const doc = await getOwnPlanDocument(app.db, surveyId, cityCode, docId);
          keys = proposalKeys(doc.reading as PlanReading).filter((k) => !doc.decisions?.[k]);
        }
        if (keys.length === 0) return back(reply, 'planError=no-choice');
        if (action === 'reject' || action === 'reject-all') {
          await rejectProposals(app.db, { surveyId, cityCode, docId, reject: keys });
          return back(reply, 'plan=rejected');
        }
        // A form without a version (an old page) is a conflict, never a blind overwrite.
        await acceptProposals(app.db, { surveyId, cityCode, docId, accept: keys, expectedVersion: Number.isInteger(version) ? version : -1, actor: respondentActor(request), now: app.clock() });
      } catch (err) {
        if (err instanceof DomainError && err.statusCode < 500) return back(reply, `planError=${planErrorCode(err)}`);
        throw err;
      }
      return back(reply, 'plan=accepted');
    },
  );

  app.get<{ Params: { id: number } }>('/respond/shared-plans/:id', { schema: { hide: true, params: DocParams }, preHandler: gate }, async (request, reply) => {
    const { surveyId, cityCode } = request.respondent!;
    const id = request.params.id;
    const visible = (await listSharedPlans(app.db, surveyId, cityCode)).some((d) => d.id === id);
    const doc = visible ? await findPlanDocument(app.db, id) : undefined;
    if (!doc) {
      return reply.code(404).header('cache-control', 'no-store').view('pages/respondent/message.hbs', { title: '計画書が見つかりません', message: 'この計画書は提供されていないか、閲覧できる期間ではありません。' });
    }
    return sendPlanFile(reply, app.db, doc);
  });
}

export default respondentPlanPages;
