// The respondent's Excel page: download the prefilled 調査票, upload a filled one, see what would change,
// and confirm before anything is saved (the confirmed workbook travels back in the form, re-checked in full).
import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_UPLOAD_BYTES } from '../../../../exports/upload-guard.js';
import { DomainError } from '../../../domain/errors.js';
import { respondentActor } from '../../../plugins/respondent-auth.js';
import { formBody, text } from '../../../schemas/pages.js';
import { importQuestionnaire, type ImportResult } from '../../../services/questionnaire-import.js';

type Upload = { filename: string; data: Buffer };
type UploadBody = { file?: Upload | string; workbook?: string; version?: string; confirm?: string };
// a file part arrives as { filename, data }; the same field sent as text (no file chosen) is a string
const UploadField = Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Unsafe<Upload>({ type: 'object', required: ['filename', 'data'] })]));
// the confirm step carries the checked workbook back (base64) with the answers' version it was checked against
const UploadForm = formBody({ file: UploadField, workbook: text(Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 1024), version: Type.Optional(Type.String({ pattern: '^[0-9]{0,10}$' })), confirm: text(2) });
const NO_STORE = 'no-store';
const TITLE = 'Excel の調査票で回答する';

/** The multipart set-up of a questionnaire upload form (the respondent's and the organiser's). */
export const QUESTIONNAIRE_MULTIPART = {
  attachFieldsToBody: 'keyValues' as const,
  // the confirm step carries the workbook back base64-encoded (4/3 of its size)
  // fields: _csrf, workbook, version, confirm, reason (and the file): a handful of parts, never 1,000
  limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 6, parts: 7, fieldSize: Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 1024, headerPairs: 20 },
  onFile: async (part: { filename: string; toBuffer(): Promise<Buffer> }) => {
    (part as unknown as { value: Upload }).value = { filename: part.filename, data: await part.toBuffer() };
  },
};

/** What the upload template shows around the form, for the respondent (the default) or the organiser. */
export const RESPONDENT_UPLOAD_PAGE = {
  action: '/respond/questionnaire',
  downloadHref: '/api/v1/response/questionnaire.xlsx',
  back: { href: '/respond', label: '回答画面へ戻る' },
};

async function questionnaireUploadPages(app: FastifyInstance) {
  await app.register(multipart, QUESTIONNAIRE_MULTIPART);

  async function respondent(request: FastifyRequest, reply: FastifyReply) {
    const r = await app.findRespondent(request, { cookieOnly: true });
    if (!r) {
      await reply.code(401).header('cache-control', NO_STORE).view('pages/respondent/message.hbs', {
        title: '回答画面を開けません',
        message: '回答画面は、依頼メールに記載された貴市専用のリンクから開いてください。',
      });
      return undefined;
    }
    request.respondent = r;
    return r;
  }

  const render = (reply: FastifyReply, data: { status?: number; errors?: Array<{ message: string }>; errorTitle?: string; lead?: string; preview?: ImportResult; workbook?: string; notice?: string }) =>
    reply.code(data.status ?? 200).header('cache-control', NO_STORE).view('pages/questionnaire/upload.hbs', { title: TITLE, heading: TITLE, page: RESPONDENT_UPLOAD_PAGE, csrfToken: reply.generateCsrf(), ...data });

  app.get<{ Querystring: { saved?: string } }>('/respond/questionnaire', { schema: { hide: true, querystring: Type.Object({ saved: text(10) }) } }, async (request, reply) => {
    if (!(await respondent(request, reply))) return reply;
    const saved = request.query.saved;
    return render(reply, { notice: saved ? `調査票の内容を一時保存しました（${Number(saved) || 0} 件の変更）。内容を確認し、回答画面から送信してください。` : undefined });
  });

  app.post<{ Body: UploadBody }>(
    '/respond/questionnaire',
    {
      schema: { hide: true, body: UploadForm },
      // the session is checked in onRequest, before the multipart body is read (preValidation)
      onRequest: async (request, reply) => {
        if (!(await respondent(request, reply))) return reply;
      },
      preHandler: app.csrfProtection,
    },
    async (request, reply) => {
      const r = request.respondent!;
      const body = request.body ?? {};
      const confirm = body.confirm === '1' && typeof body.workbook === 'string';
      const data = confirm ? Buffer.from(body.workbook as string, 'base64') : typeof body.file === 'object' ? body.file.data : undefined;
      if (!data || data.length === 0) {
        return render(reply, { status: 400, errorTitle: 'ファイルが選ばれていません', errors: [{ message: 'アップロードする調査票（.xlsx）を選んでください' }] });
      }
      try {
        const result = await importQuestionnaire(app.db, {
          surveyId: r.surveyId,
          cityCode: r.cityCode,
          body: data,
          dryRun: !confirm,
          actor: respondentActor(request),
          secret: app.config.jwtSecret,
          now: app.clock(),
          expectedVersion: confirm ? Number(body.version) : undefined,
        });
        if (confirm) return reply.redirect(`/respond/questionnaire?saved=${result.changed.length}`, 303);
        return render(reply, { preview: result, workbook: data.toString('base64') });
      } catch (err) {
        if (!(err instanceof DomainError) || err.statusCode >= 500) throw err;
        const title = err.statusCode === 409 ? '保存できませんでした（他の画面で更新されています）' : '調査票を受け付けられませんでした';
        return render(reply, { status: err.statusCode, errorTitle: title, lead: err.statusCode === 409 ? err.message : undefined, errors: err.errors?.length ? err.errors : [{ message: err.message }] });
      }
    },
  );
}

export default questionnaireUploadPages;
