// What the organiser's and the respondent's API routes (and some pages) share for files: the workbook download
// and its OpenAPI type, a plan document's listing and its file as a download, and the raw .xlsx upload body of the questionnaire routes.
import { Type } from '@sinclair/typebox';
import type ExcelJS from 'exceljs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { MAX_UPLOAD_BYTES } from '../../../exports/upload-guard.js';
import { workbookToBuffer } from '../../../exports/serialise.js';
import { notFound } from '../../domain/errors.js';
import { loadPlanDocumentContent } from '../../repositories/plan-documents.js';
import { attachment, XLSX_TYPE } from '../../services/workbooks.js';

export const XlsxFile = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'Excel ブック（.xlsx）' });

export async function sendWorkbook(reply: FastifyReply, workbook: ExcelJS.Workbook, fileName: string, asciiName: string) {
  const buffer = await workbookToBuffer(workbook);
  return reply
    .type(XLSX_TYPE)
    .header('content-disposition', attachment(fileName, asciiName))
    .header('cache-control', 'private, no-store')
    .send(buffer);
}

/** A plan document as the API lists it. */
export const planDocumentMeta = (d: { id: number; file_name: string; content_type: string; bytes: number; pages: number; shareable: 'all' | 'host' }) => ({
  id: d.id,
  fileName: d.file_name,
  contentType: d.content_type,
  bytes: d.bytes,
  pages: d.pages,
  shareable: d.shareable,
});

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

/** In the calling plugin only: a filled questionnaire arrives as the raw workbook; other bodies reach the handler as non-buffers (a clear 422). */
export function acceptWorkbookUploads(app: FastifyInstance) {
  for (const type of [XLSX_TYPE, 'application/octet-stream']) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_request, body, done) => done(null, body));
  }
}
