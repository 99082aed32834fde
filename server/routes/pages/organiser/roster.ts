// Roster pages (団体名簿): list and edit cities; import a CSV/.xlsx with a preview before anything is written.
import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { importIsClean, normaliseNameKana, parsePopulation, parseRosterDate } from '../../../domain/roster-import.js';
import { organiserActor } from '../../../plugins/auth.js';
import { findCity, listCities } from '../../../repositories/cities.js';
import { upsertRoster } from '../../../services/cities.js';
import { applyRosterImport, previewRoster, rowsFromConfirmation } from '../../../services/roster-import.js';
import { readRosterUpload } from '../../../services/roster-upload.js';
import { badRequest, notFound } from '../../../domain/errors.js';
import { isEmail, normaliseEmail } from '../../../domain/normalise.js';
import { CityCode } from '../../../schemas/common.js';
import { formBody, noticeQuery, text } from '../../../schemas/pages.js';
import { assertValidForm } from '../page-errors.js';
import { cityRowView } from '../../../views/view-models.js';
import { formErrors, pageAuth, redirectWithNotice, renderPage } from './common.js';

const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
type Upload = { filename: string; data: Buffer };
const SHOWN_PROBLEM_ROWS = 20;

/** 「35 行目、43 行目」に誤りがあります。 (the first rows in error, named at the top of the preview) */
function problemRowsSentence(rowNumbers: number[]): string {
  if (rowNumbers.length === 0) return '';
  const named = rowNumbers.slice(0, SHOWN_PROBLEM_ROWS).map((n) => `${n} 行目`).join('、');
  const more = rowNumbers.length > SHOWN_PROBLEM_ROWS ? `ほか ${rowNumbers.length - SHOWN_PROBLEM_ROWS} 行` : '';
  return `「${named}」${more}に誤りがあります。`;
}
type CityForm = { name?: string; prefecture?: string; population?: string; populationDate?: string; email?: string; nameKana?: string };
// a file part arrives as { filename, data }; the same field sent as text (no file chosen) is a string
const UploadField = Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Unsafe<Upload>({ type: 'object', required: ['filename', 'data'] })]));
const CityParams = Type.Object({ code: CityCode });
const CityEditForm = formBody({ name: text(100), prefecture: text(20), population: text(40), populationDate: text(40), email: text(254), nameKana: text(200) });

const rosterPages: FastifyPluginAsync = async (app) => {
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    // the form has one file and the _csrf field: a few parts of a few KB, never 1,000 parts of 7 MB
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 4, parts: 5, fieldSize: 8 * 1024, headerPairs: 20 },
    onFile: async (part) => {
      (part as unknown as { value: Upload }).value = { filename: part.filename, data: await part.toBuffer() };
    },
  });
  const auth = pageAuth(app);

  app.get<{ Querystring: { notice?: string } }>('/organiser/roster', { schema: { hide: true, querystring: noticeQuery() }, preHandler: auth }, async (request, reply) =>
    renderPage(request, reply, 'pages/organiser/roster.hbs', { title: '団体名簿', cities: (await listCities(app.db)).map(cityRowView), notice: request.query.notice }),
  );

  app.get('/organiser/roster/import', { schema: { hide: true }, preHandler: auth }, async (request, reply) =>
    renderPage(request, reply, 'pages/organiser/roster-import.hbs', { title: '団体名簿の取込' }),
  );

  app.post<{ Body: { file?: Upload } }>(
    '/organiser/roster/import',
    // authenticated in onRequest: the multipart body is read (preValidation) only for a signed-in organiser
    { schema: { hide: true, body: formBody({ file: UploadField }) }, onRequest: auth, preHandler: app.csrfProtection },
    async (request, reply) => {
      const file = request.body?.file;
      if (!file || typeof file !== 'object' || file.data.length === 0) {
        return renderPage(request, reply.code(400), 'pages/organiser/roster-import.hbs', {
          title: '団体名簿の取込',
          errors: [{ path: '/file', message: '取り込むファイルを選んでください' }],
        });
      }
      const checked = await readRosterUpload(file.filename, file.data);
      const rows = await previewRoster(app.db, checked);
      const clean = importIsClean(checked);
      const problemRows = rows.filter((r) => r.problems.length > 0);
      const problemCount = problemRows.length;
      return renderPage(request, reply.code(clean ? 200 : 422), 'pages/organiser/roster-import.hbs', {
        title: '団体名簿の取込（確認）',
        filename: file.filename,
        encodingLabel: { 'utf-8': 'UTF-8', shift_jis: 'Shift_JIS（Excel の CSV）', xlsx: 'Excel ブック' }[checked.encoding ?? 'utf-8'],
        preview: rows,
        fileProblems: checked.fileProblems,
        problemCount,
        problemRowsSentence: problemRowsSentence(problemRows.map((r) => r.rowNumber)),
        problemRows: problemRows.slice(0, SHOWN_PROBLEM_ROWS).map((r) => ({ rowNumber: r.rowNumber, problems: r.problems.join('／') })),
        moreProblemRows: Math.max(0, problemCount - SHOWN_PROBLEM_ROWS),
        clean,
        counts: { total: rows.length, new: rows.filter((r) => r.change === 'new').length, changed: rows.filter((r) => r.change === 'changed').length },
        rowsJson: clean ? JSON.stringify(rows.map((r) => r.city)) : undefined,
      });
    },
  );

  app.post<{ Body: { rows?: string } }>(
    '/organiser/roster/import/confirm',
    { schema: { hide: true, body: formBody({ rows: text(1024 * 1024) }) }, preHandler: [auth, app.csrfProtection] },
    async (request, reply) => {
      try {
        const n = await applyRosterImport(app.db, rowsFromConfirmation(request.body.rows ?? ''), organiserActor(request));
        return redirectWithNotice(reply, '/organiser/roster', `${n} 団体を取り込みました`);
      } catch (err) {
        return renderPage(request, reply.code(400), 'pages/organiser/roster-import.hbs', { title: '団体名簿の取込', errors: formErrors(err) });
      }
    },
  );

  app.get<{ Params: { code: string } }>('/organiser/roster/:code', { schema: { hide: true, params: CityParams }, preHandler: auth }, async (request, reply) => {
    const city = await findCity(app.db, request.params.code);
    if (!city) throw notFound('団体');
    return renderPage(request, reply, 'pages/organiser/roster-city.hbs', {
      title: `${city.name}（団体名簿）`,
      city,
      form: { name: city.name, prefecture: city.prefecture, population: String(city.population), populationDate: city.population_date ?? '', email: city.email ?? '', nameKana: city.name_kana ?? '' },
    });
  });

  app.post<{ Params: { code: string }; Body: CityForm }>(
    '/organiser/roster/:code',
    { schema: { hide: true, params: CityParams, body: CityEditForm }, attachValidation: true, preHandler: [auth, app.csrfProtection] },
    async (request, reply) => {
      const city = await findCity(app.db, request.params.code);
      if (!city) throw notFound('団体');
      // A repeated field arrives as an array: the first value counts, as for the other forms.
      const field = (v: unknown): string => (Array.isArray(v) ? field(v[0]) : typeof v === 'string' ? v : '');
      const body: CityForm = request.body ?? {};
      const form = { name: field(body.name), prefecture: field(body.prefecture), population: field(body.population), populationDate: field(body.populationDate), email: field(body.email), nameKana: field(body.nameKana) };
      // a form without the field (an older page) leaves the reading as it is
      const nameKana = body.nameKana === undefined ? undefined : normaliseNameKana(form.nameKana);
      try {
        assertValidForm(request);
        const population = parsePopulation(form.population);
        const populationDate = form.populationDate.trim() === '' ? null : parseRosterDate(form.populationDate);
        const errors = [];
        if (population === null) errors.push({ path: '/population', message: '人口は数値で入力してください' });
        if (form.populationDate.trim() !== '' && populationDate === null) errors.push({ path: '/populationDate', message: '人口基準日を日付として読み取れません（例: 令和2年10月1日、2020年10月1日）' });
        if (form.name.trim() === '') errors.push({ path: '/name', message: '市名を入力してください' });
        if (form.prefecture.trim() === '') errors.push({ path: '/prefecture', message: '都道府県を入力してください' });
        if (form.email.trim() !== '' && !isEmail(normaliseEmail(form.email))) errors.push({ path: '/email', message: 'メールアドレスの形式が正しくありません' });
        if (body.nameKana !== undefined && nameKana === undefined) errors.push({ path: '/nameKana', message: '市名カナはカタカナまたはひらがなで入力してください' });
        if (errors.length > 0) throw badRequest('入力内容に誤りがあります', errors);
        const kana = body.nameKana === undefined ? {} : { nameKana: nameKana ?? null };
        await upsertRoster(app.db, [{ code: city.code, name: form.name, prefecture: form.prefecture, population: population!, populationDate, email: form.email, ...kana }], organiserActor(request));
        return redirectWithNotice(reply, '/organiser/roster', `${form.name.trim()}の情報を保存しました`);
      } catch (err) {
        return renderPage(request, reply.code(400), 'pages/organiser/roster-city.hbs', { title: `${city.name}（団体名簿）`, city, form, errors: formErrors(err) });
      }
    },
  );
};

export default rosterPages;
