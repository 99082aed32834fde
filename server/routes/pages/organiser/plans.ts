// 計画書ライブラリ: every plan attached to a survey (city, name, period, pages, size), downloads of one or all
// (zip, entries named <団体コード>_<市名>_<file>) and full-text search over the plans' pages.
import { Type } from '@sinclair/typebox';
import JSZip from 'jszip';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../../../domain/errors.js';
import { findPlanDocument, loadPlanDocumentContent } from '../../../repositories/plan-documents.js';
import { searchPlans } from '../../../services/plan-search.js';
import { libraryRows, zipEntryName } from '../../../services/plan-documents-view.js';
import { attachment } from '../../../services/workbooks.js';
import { sendPlanFile } from '../../api/downloads.js';
import { RowId, SurveyPageParams, text } from '../../../schemas/pages.js';
import { pageAuth, renderPage } from './common.js';

type Req = FastifyRequest<{ Params: { id: number; docId?: number }; Querystring: { q?: string } }>;
const DocParams = Type.Object({ id: RowId, docId: RowId });

async function planLibraryPages(app: FastifyInstance) {
  const auth = pageAuth(app);

  app.get('/organiser/surveys/:id/plans', { schema: { hide: true, params: SurveyPageParams, querystring: Type.Object({ q: text(1000) }) }, preHandler: auth }, async (req, reply) => {
    const request = req as Req;
    const survey = request.survey!;
    const rows = await libraryRows(app.db, survey.id);
    const q = (request.query.q ?? '').trim().slice(0, 100);
    const names = new Map(rows.map((r) => [r.id, r]));
    const hits = q === '' ? undefined : (await searchPlans(app.db, survey.id, q)).map((h) => ({ ...h, cityName: names.get(h.docId)?.cityName ?? h.cityCode, fileName: names.get(h.docId)?.fileName ?? '' }));
    return renderPage(request, reply.header('cache-control', 'no-store'), 'pages/organiser/plans.hbs', { title: `計画書ライブラリ（${survey.title}）`, survey, rows, q, hits });
  });

  app.get('/organiser/surveys/:id/plans/all.zip', { schema: { hide: true, params: SurveyPageParams }, preHandler: auth }, async (req, reply) => {
    const request = req as Req;
    const survey = request.survey!;
    const zip = new JSZip();
    const used = new Set<string>();
    // One file at a time from the database; PDFs are compressed already, so the zip only stores them.
    for (const row of await libraryRows(app.db, survey.id)) {
      let name = zipEntryName(row.cityCode, row.cityName, row.fileName);
      for (let n = 2; used.has(name); n++) name = zipEntryName(row.cityCode, row.cityName, `${n}_${row.fileName}`);
      used.add(name);
      zip.file(name, (await loadPlanDocumentContent(app.db, row.id))!, { compression: 'STORE' });
    }
    const buffer = await zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
    return reply.type('application/zip').header('content-disposition', attachment(`${survey.title}_計画書.zip`, `plans-${survey.id}.zip`)).header('cache-control', 'private, no-store').send(buffer);
  });

  app.get('/organiser/surveys/:id/plans/:docId', { schema: { hide: true, params: DocParams }, preHandler: auth }, async (req, reply) => {
    const request = req as Req;
    const doc = await findPlanDocument(app.db, request.params.docId!);
    if (!doc || doc.survey_id !== request.survey!.id) throw notFound('計画書');
    return sendPlanFile(reply, app.db, doc);
  });
}

export default planLibraryPages;
