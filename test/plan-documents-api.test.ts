// Plan documents by API (API.md «Plan documents»): attach real files, read the plan's facts and proposals with
// evidence, refuse files that are not what they claim, keep each city to its own files, organisers' search.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, loginOrganiser, type TestContext } from './helper.js';
import { ASAHIKAWA, HAKODATE, invite, openDemoSurvey } from './respondent-fixtures.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures/plans');
const PDF = 'application/pdf';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const TXT = 'text/plain; charset=utf-8';

let ctx: TestContext;
let auth: { authorization: string };
let surveyId: number;
let hakodate: { authorization: string };
let asahikawa: { authorization: string };

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const upload = (who: { authorization: string }, fileName: string, contentType: string, body: Buffer, extra = '') =>
  ctx.app.inject({ method: 'POST', url: `/api/v1/response/plan-documents?fileName=${encodeURIComponent(fileName)}${extra}`, headers: { ...who, 'content-type': contentType }, payload: body });

/** A minimal Word document: the parts Word itself needs, paragraphs of the given text. */
async function makeDocx(paragraphs: string[]): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>');
  zip.file('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>');
  const body = paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${p.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</w:t></w:r></w:p>`).join('');
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`);
  return zip.generateAsync({ type: 'nodebuffer' });
}

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  auth = await loginOrganiser(ctx);
  surveyId = await openDemoSurvey(ctx, auth);
  const issued = await invite(ctx, auth, surveyId, [HAKODATE, ASAHIKAWA]);
  hakodate = bearer(issued[0].token);
  asahikawa = bearer(issued[1].token);
});
afterAll(() => ctx.close());

describe('attaching a plan', () => {
  it('a PDF with an embedded Japanese font: the cover gives name, edition and period, with page 1 as evidence', async () => {
    const pdf = readFileSync(path.join(FIXTURES, 'musashimurayama-excerpt.pdf'));
    const res = await upload(hakodate, '第四次情報化基本計画.pdf', PDF, pdf);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ fileName: '第四次情報化基本計画.pdf', contentType: PDF, bytes: pdf.length, pages: 6, warnings: [] });
    expect(body.reading.plan.name.value).toBe('武蔵村山市第四次情報化基本計画');
    expect(body.reading.plan.latestNumber.value).toBe('第4次');
    expect(body.reading.plan.periodStart.value).toBe(2016);
    expect(body.reading.plan.periodEnd.value).toBe(2020);
    expect(body.reading.plan.updateCycleYears.value).toBe(5);
    expect(body.reading.plan.name.evidence[0].page).toBe(1);
    // オープンデータ stands on the measures pages of the excerpt (5–6), not on the cover.
    const m09 = body.reading.measures.M09;
    expect(m09.suggestion).toBeDefined();
    expect(m09.evidence.every((e: { page: number }) => e.page >= 5)).toBe(true);
  });

  it('a PDF of a scanned page (no text layer) is stored with the clear message instead of empty proposals', async () => {
    const res = await upload(hakodate, 'scan.pdf', PDF, readFileSync(path.join(FIXTURES, 'scanned.pdf')));
    expect(res.statusCode).toBe(201);
    expect(res.json().warnings).toEqual(['文字を読み取れませんでした（画像の PDF の可能性があります）。']);
    expect(res.json().reading.measures).toEqual({});
  });

  it('a file named .pdf that is not a PDF is refused with 422 and a Japanese reason', async () => {
    const res = await upload(hakodate, 'plan.pdf', PDF, Buffer.from('<html>not a pdf</html>'));
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].message).toContain('PDFではありません');
  });

  it('a Word file and a text file are read too (text: form feeds separate pages)', async () => {
    const docx = await makeDocx(['摂津市地域情報化（基本）計画', '平成 27 年 3 月', '現在、政府が推進しているオープンデータの公開について検討し、データを提供していきます。']);
    const word = await upload(asahikawa, 'settsu.docx', DOCX, docx);
    expect(word.statusCode).toBe(201);
    expect(word.json().reading.plan.name.value).toBe('摂津市地域情報化（基本）計画');
    expect(word.json().reading.plan.latestNumber).toBeNull();
    expect(word.json().reading.measures.M09.suggestion).toBe('studying');

    const text = Buffer.from('旭川市情報化推進計画\n令和 2 年度～令和 7 年度\n\f第1章 施策の展開\n\f業務の自動化のため、RPA を導入しました。\n', 'utf8');
    const txt = await upload(asahikawa, 'asahikawa.txt', TXT, text);
    expect(txt.statusCode).toBe(201);
    expect(txt.json()).toMatchObject({ pages: 3 });
    expect(txt.json().reading.plan.periodStart.value).toBe(2020);
    expect(txt.json().reading.plan.periodEnd.value).toBe(2025);
  });

  it('a city lists, downloads and removes only its own files', async () => {
    const mine = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response/plan-documents', headers: asahikawa })).json();
    expect(mine.map((d: { fileName: string }) => d.fileName)).toEqual(['settsu.docx', 'asahikawa.txt']);
    const theirs = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response/plan-documents', headers: hakodate })).json();
    const other = theirs[0].id;
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/response/plan-documents/${other}`, headers: asahikawa })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/v1/response/plan-documents/${other}`, headers: asahikawa })).statusCode).toBe(404);
    const own = await ctx.app.inject({ method: 'GET', url: `/api/v1/response/plan-documents/${theirs[0].id}`, headers: hakodate });
    expect(own.statusCode).toBe(200);
    expect(own.rawPayload.equals(readFileSync(path.join(FIXTURES, 'musashimurayama-excerpt.pdf')))).toBe(true);
  });

  it('organiser search finds 「RPA」 on the right page with a snippet', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/plan-documents/search?q=RPA`, headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([expect.objectContaining({ cityCode: ASAHIKAWA, page: 3, snippet: expect.stringContaining('rpa を導入しました') })]);
    const sns = (await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/plan-documents/search?q=${encodeURIComponent('オープンデータ')}`, headers: auth })).json();
    expect(sns.some((h: { cityCode: string; page: number }) => h.cityCode === HAKODATE && h.page === 5)).toBe(true);
  });

  it('over 30 MB is a 413 with a Japanese message; an image is a 415', async () => {
    const big = Buffer.alloc(30 * 1024 * 1024 + 1, 0x20);
    big.write('%PDF-1.7\n');
    const res = await upload(hakodate, 'big.pdf', PDF, big);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ statusCode: 413, message: 'ファイルが大きすぎます（上限 30 MB）。' });
    const png = await upload(hakodate, 'scan.png', 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(png.statusCode).toBe(415);
    expect(png.json().message).toContain('PDF');
  });

  it('organisers list every city\'s files and download one; a city removes its own with 204', async () => {
    const list = (await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/plan-documents`, headers: auth })).json();
    expect(list.map((d: { cityCode: string; fileName: string }) => `${d.cityCode} ${d.fileName}`)).toEqual([
      `${HAKODATE} 第四次情報化基本計画.pdf`,
      `${HAKODATE} scan.pdf`,
      `${ASAHIKAWA} settsu.docx`,
      `${ASAHIKAWA} asahikawa.txt`,
    ]);
    expect(list[0]).toMatchObject({ contentType: PDF, pages: 6, shareable: 'host' }); // default: not yet answered 公表してよい
    const file = await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/plan-documents/${list[3].id}`, headers: auth });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe(TXT);
    expect(file.body).toContain('RPA を導入しました');
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/plan-documents/${list[3].id}`, headers: hakodate })).statusCode).toBe(401);
    const del = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/response/plan-documents/${list[1].id}`, headers: hakodate });
    expect(del.statusCode).toBe(204);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/response/plan-documents', headers: hakodate })).json()).toHaveLength(1);
    const audit = await ctx.database.db.selectFrom('audit_log').select(['action', 'entity']).where('entity', '=', 'plan_document').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['attach', 'attach', 'attach', 'attach', 'remove']);
  });
});
