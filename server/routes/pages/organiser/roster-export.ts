// The roster as a CSV (UTF-8 with BOM, as Excel opens it) or an .xlsx, in the columns the import reads back,
// 市名カナ included: export, edit in Excel, import again. Formula triggers are neutralised as in every export.
import type { FastifyPluginAsync } from 'fastify';
import { buildRosterWorkbook } from '../../../../exports/roster-workbook.js';
import { safeText } from '../../../../exports/safe-cell.js';
import { workbookToBuffer } from '../../../../exports/serialise.js';
import { ROSTER_COLUMNS, ROSTER_EXPORT_FIELDS, rosterExportRow } from '../../../domain/roster-import.js';
import { listCities } from '../../../repositories/cities.js';
import { attachment, XLSX_TYPE } from '../../../services/workbooks.js';
import { pageAuth } from './common.js';

function csvField(value: string): string {
  const text = safeText(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const rosterExportPages: FastifyPluginAsync = async (app) => {
  app.get('/organiser/roster/export.csv', { schema: { hide: true }, preHandler: pageAuth(app) }, async (_request, reply) => {
    const cities = await listCities(app.db);
    const lines = [ROSTER_EXPORT_FIELDS.map((f) => ROSTER_COLUMNS[f]).join(','), ...cities.map((c) => rosterExportRow(c).map((v) => csvField(String(v))).join(','))];
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', attachment('団体名簿.csv', 'roster.csv'))
      .send(`\uFEFF${lines.join('\r\n')}\r\n`);
  });

  app.get('/organiser/roster/export.xlsx', { schema: { hide: true }, preHandler: pageAuth(app) }, async (_request, reply) => {
    const workbook = buildRosterWorkbook(await listCities(app.db));
    const bytes = await workbookToBuffer(workbook);
    return reply.type(XLSX_TYPE).header('content-disposition', attachment('団体名簿.xlsx', 'roster.xlsx')).send(bytes);
  });
};

export default rosterExportPages;
