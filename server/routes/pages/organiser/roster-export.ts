// The roster as a CSV (UTF-8 with BOM, as Excel opens it), in the columns the import reads back, 市名カナ
// included: export, edit in Excel, import again. Formula triggers are neutralised as in every export.
import type { FastifyPluginAsync } from 'fastify';
import { safeText } from '../../../../exports/safe-cell.js';
import { ROSTER_COLUMNS } from '../../../domain/roster-import.js';
import { listCities } from '../../../repositories/cities.js';
import { attachment } from '../../../services/workbooks.js';
import { pageAuth } from './common.js';

const COLUMNS = ['code', 'prefecture', 'name', 'nameKana', 'population', 'populationDate', 'email'] as const;

function csvField(value: string): string {
  const text = safeText(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const rosterExportPages: FastifyPluginAsync = async (app) => {
  app.get('/organiser/roster/export.csv', { schema: { hide: true }, preHandler: pageAuth(app) }, async (_request, reply) => {
    const cities = await listCities(app.db);
    const lines = [
      COLUMNS.map((c) => ROSTER_COLUMNS[c]).join(','),
      ...cities.map((c) => [c.code, c.prefecture, c.name, c.name_kana ?? '', String(c.population), c.population_date ?? '', c.email ?? ''].map(csvField).join(',')),
    ];
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', attachment('団体名簿.csv', 'roster.csv'))
      .send(`\uFEFF${lines.join('\r\n')}\r\n`);
  });
};

export default rosterExportPages;
