// The workbook routes end to end: results workbooks for the organiser and (once published) for respondents,
// and a city answering through the Excel questionnaire — download, fill as a city would, upload.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL_GROUP_MESSAGE } from '../server/domain/disclosure-control.js';
import { buildTestApp, loginOrganiser, type TestContext } from './helper.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CITIES = { toyonaka: '272035', himeji: '282014', amagasaki: '282022', akashi: '282031', nara: '292010', host: '282049' };

let ctx: TestContext;
let auth: { authorization: string };
let surveyId: number;
let measureCodes: string[];
const tokens: Record<string, string> = {};

const bearer = (city: string) => ({ authorization: `Bearer ${tokens[city]}` });

function answer(disclosure: string, planName: string, department: string, seed: number) {
  return {
    contact: { department, personKana: 'ジョウホウ タロウ', phone: '06-6858-2525', email: `joho${seed}@city.example.lg.jp` },
    plan: { hasPlan: true, name: planName, latestNumber: '第3次', updateCycleYears: 5, periodStart: 2016, periodEnd: 2020, nextPlan: 'update', notes: '' },
    disclosure,
    measures: Object.fromEntries(measureCodes.map((c, i) => [c, (['implemented', 'studying', 'none'] as const)[(i + seed) % 3]])),
  };
}

async function answerAndSubmit(city: string, body: object) {
  const put = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response', headers: bearer(city), payload: { ...body, version: 0 } });
  expect(put.statusCode, put.body).toBe(200);
  const submit = await ctx.app.inject({ method: 'POST', url: '/api/v1/response/submit', headers: bearer(city) });
  expect(submit.statusCode, submit.body).toBe(200);
}

async function readXlsx(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

function texts(wb: ExcelJS.Workbook): string {
  const out: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => out.push(String(c.value)))));
  return out.join('\n');
}

function rowOf(ws: ExcelJS.Worksheet, col: number, text: string): number {
  let found = 0;
  ws.eachRow((row, n) => {
    if (!found && row.getCell(col).value === text) found = n;
  });
  return found;
}

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  auth = await loginOrganiser(ctx);
  const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/surveys', headers: auth, payload: { title: 'Excel 連携の確認調査', hostCityCode: CITIES.host, deadline: '2026-12-18' } });
  surveyId = created.json().id;
  measureCodes = created.json().measures.map((m: { code: string }) => m.code);
  const others = Object.values(CITIES).filter((c) => c !== CITIES.host);
  await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${surveyId}/participants`, headers: auth, payload: { cityCodes: others } });
  await ctx.app.inject({ method: 'PATCH', url: `/api/v1/surveys/${surveyId}`, headers: auth, payload: { status: 'open' } });
  const issued = await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${surveyId}/invitations`, headers: auth, payload: {} });
  for (const i of issued.json()) tokens[i.cityCode] = i.token;
  await answerAndSubmit(CITIES.toyonaka, answer('public', '豊中市情報化基本計画', '総務部 情報政策課', 1));
  await answerAndSubmit(CITIES.himeji, answer('anonymous', '姫路市情報化推進計画', '姫路市 総務局 情報政策室', 2));
  await answerAndSubmit(CITIES.amagasaki, answer('private', '尼崎市ICTプラン', '資産統括局 ICT推進部', 3));
});
afterAll(() => ctx.close());

describe('a city answers through the Excel questionnaire', () => {
  let downloaded: Buffer;

  it('downloads 調査票.xlsx prefilled for its own city', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/response/questionnaire.xlsx', headers: bearer(CITIES.akashi) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain(XLSX);
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''");
    downloaded = res.rawPayload;
    const ws = (await readXlsx(downloaded)).getWorksheet('調査票')!;
    expect(ws.getCell(rowOf(ws, 1, '1-1'), 4).value).toBe('明石市');
  });

  async function filled(): Promise<Buffer> {
    const wb = await readXlsx(downloaded);
    const ws = wb.getWorksheet('調査票')!;
    const set = (id: string, value: ExcelJS.CellValue) => (ws.getCell(rowOf(ws, 1, id), 4).value = value);
    set('1-2', '政策局 ICT推進室');
    set('1-3', 'アカシ ハナコ');
    set('1-4', '078-918-5000');
    set('1-5', { text: 'ict@city.akashi.example.lg.jp', hyperlink: 'mailto:ict@city.akashi.example.lg.jp' });
    set('2-1', '計画あり');
    set('2-2', 'あかし情報化計画');
    set('2-3', '第2次');
    set('2-4', 4);
    set('2-5', '令和2年度');
    set('2-6', 2024);
    set('2-7', '他計画へ統合');
    set('3-1', '市名を伏せれば公表してよい');
    measureCodes.forEach((code, i) => {
      ws.getCell(rowOf(ws, 3, code), 4).value = ['実施済', '検討中', '未実施'][i % 3];
    });
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('?dryRun=true reports what would change and saves nothing', async () => {
    const res = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response/questionnaire.xlsx?dryRun=true', headers: { ...bearer(CITIES.akashi), 'content-type': XLSX }, payload: await filled() });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.saved).toBe(false);
    expect(body.changed.length).toBe(12 + measureCodes.length);
    expect(body.changed).toContainEqual(expect.objectContaining({ path: '/plan/nextPlan', before: '', after: '他計画へ統合' }));
    const now = await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: bearer(CITIES.akashi) });
    expect(now.json()).toMatchObject({ status: 'not_started', version: 0 });
  });

  it('uploading saves the workbook answers as the draft, equal to what was filled', async () => {
    const res = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response/questionnaire.xlsx', headers: { ...bearer(CITIES.akashi), 'content-type': XLSX }, payload: await filled() });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'draft', version: 1 });
    const saved = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: bearer(CITIES.akashi) })).json();
    expect(saved.answers).toEqual({
      contact: { department: '政策局 ICT推進室', personKana: 'アカシ ハナコ', phone: '078-918-5000', email: 'ict@city.akashi.example.lg.jp' },
      plan: { hasPlan: true, name: 'あかし情報化計画', latestNumber: '第2次', updateCycleYears: 4, updateCycleIrregular: false, periodStart: 2020, periodEnd: 2024, nextPlan: 'merge', notes: '' },
      disclosure: 'anonymous',
      measures: Object.fromEntries(measureCodes.map((c, i) => [c, (['implemented', 'studying', 'none'] as const)[i % 3]])),
    });
    const submit = await ctx.app.inject({ method: 'POST', url: '/api/v1/response/submit', headers: bearer(CITIES.akashi) });
    expect(submit.statusCode, submit.body).toBe(200);
  });

  it('an answer that is not a choice is reported by sheet and cell, and nothing is saved', async () => {
    const wb = await readXlsx(await filled());
    const ws = wb.getWorksheet('調査票')!;
    const row = rowOf(ws, 3, measureCodes[4]);
    ws.getCell(row, 4).value = '実施中';
    const before = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: bearer(CITIES.akashi) })).json();
    const res = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response/questionnaire.xlsx', headers: { ...bearer(CITIES.akashi), 'content-type': XLSX }, payload: Buffer.from(await wb.xlsx.writeBuffer()) });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([{ path: `調査票!D${row}`, message: expect.stringContaining(`調査票!D${row}: 「実施中」は選択肢にありません`) }]);
    const after = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: bearer(CITIES.akashi) })).json();
    expect(after.version).toBe(before.version);
  });

  it('an upload made from an older download is refused (409) with what changed since, and nothing is saved', async () => {
    // `downloaded` was made at version 0; the city has saved and submitted since
    const before = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: bearer(CITIES.akashi) })).json();
    expect(before.version).toBeGreaterThan(0);
    const wb = await readXlsx(await filled());
    wb.getWorksheet('調査票')!.getCell(rowOf(wb.getWorksheet('調査票')!, 1, '1-2'), 4).value = '古い調査票の部署';
    const res = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response/questionnaire.xlsx', headers: { ...bearer(CITIES.akashi), 'content-type': XLSX }, payload: Buffer.from(await wb.xlsx.writeBuffer()) });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('ダウンロードし直して');
    expect(res.json().errors[0].path).toBe('管理情報!B6');
    expect(res.json().errors.map((e: { message: string }) => e.message).join('\n')).toContain('古い調査票の部署');
    const after = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: bearer(CITIES.akashi) })).json();
    expect(after.version).toBe(before.version);
    expect(after.answers.contact.department).not.toBe('古い調査票の部署');
  });

  it('every problem of a questionnaire is reported in one pass: choices and years together', async () => {
    const wb = await readXlsx(await filled());
    const ws = wb.getWorksheet('調査票')!;
    const choiceRow = rowOf(ws, 3, measureCodes[2]);
    ws.getCell(choiceRow, 4).value = '実施中';
    const yearRow = rowOf(ws, 1, '2-5');
    ws.getCell(yearRow, 4).value = 'そのうち';
    const res = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response/questionnaire.xlsx?dryRun=true', headers: { ...bearer(CITIES.akashi), 'content-type': XLSX }, payload: Buffer.from(await wb.xlsx.writeBuffer()) });
    expect(res.statusCode).toBe(422);
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toContain(`調査票!D${choiceRow}`);
    expect(paths).toContain(`調査票!D${yearRow}`);
  });

  it('a year the domain cannot read is reported by its cell', async () => {
    const wb = await readXlsx(await filled());
    const ws = wb.getWorksheet('調査票')!;
    const row = rowOf(ws, 1, '2-5');
    ws.getCell(row, 4).value = 'そのうち';
    const res = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response/questionnaire.xlsx?dryRun=true', headers: { ...bearer(CITIES.akashi), 'content-type': XLSX }, payload: Buffer.from(await wb.xlsx.writeBuffer()) });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].path).toBe(`調査票!D${row}`);
  });

  it('refuses a workbook made for another city, even with its hidden sheet edited', async () => {
    const res = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response/questionnaire.xlsx', headers: { ...bearer(CITIES.nara), 'content-type': XLSX }, payload: downloaded });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toContain('別の調査または別の団体');
    const wb = await readXlsx(downloaded);
    wb.getWorksheet('管理情報')!.getCell('B3').value = CITIES.nara;
    const forged = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response/questionnaire.xlsx', headers: { ...bearer(CITIES.nara), 'content-type': XLSX }, payload: Buffer.from(await wb.xlsx.writeBuffer()) });
    expect(forged.statusCode).toBe(422);
    expect(forged.json().errors[0].path).toBe('管理情報!B4');
    const nara = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: bearer(CITIES.nara) })).json();
    expect(nara.version).toBe(0);
  });

  it('refuses a body that is not xlsx with 422 and an oversized one with 413', async () => {
    const text = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response/questionnaire.xlsx', headers: { ...bearer(CITIES.nara), 'content-type': XLSX }, payload: Buffer.from('団体コード,回答\n') });
    expect(text.statusCode).toBe(422);
    expect(text.json().errors[0].message).toContain('Excel ブック（.xlsx）ではありません');
    const json = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response/questionnaire.xlsx', headers: bearer(CITIES.nara), payload: { measures: {} } });
    expect(json.statusCode).toBe(422);
    const big = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response/questionnaire.xlsx', headers: { ...bearer(CITIES.nara), 'content-type': XLSX }, payload: Buffer.alloc(6 * 1024 * 1024, 0x50) });
    expect(big.statusCode).toBe(413);
    expect(big.json().message).toMatch(/大きすぎ/);
  });

  it('the organiser downloads and uploads the questionnaire of any city', async () => {
    const url = `/api/v1/surveys/${surveyId}/responses/${CITIES.nara}/questionnaire.xlsx`;
    const res = await ctx.app.inject({ method: 'GET', url, headers: auth });
    expect(res.statusCode).toBe(200);
    const wb = await readXlsx(res.rawPayload);
    const ws = wb.getWorksheet('調査票')!;
    ws.getCell(rowOf(ws, 1, '1-2'), 4).value = '企画部 DX推進課';
    const up = await ctx.app.inject({ method: 'PUT', url, headers: { ...auth, 'content-type': XLSX }, payload: Buffer.from(await wb.xlsx.writeBuffer()) });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toMatchObject({ status: 'draft', version: 1, changed: [expect.objectContaining({ path: '/contact/department', after: '企画部 DX推進課' })] });
    expect((await ctx.app.inject({ method: 'GET', url, headers: bearer(CITIES.nara) })).statusCode).toBe(401);
  });
});

describe('results workbooks', () => {
  it('the workbook routes are in the OpenAPI document', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const route of ['/api/v1/surveys/{id}/results.xlsx', '/api/v1/response/results.xlsx', '/api/v1/response/questionnaire.xlsx', '/api/v1/surveys/{id}/responses/{cityCode}/questionnaire.xlsx', '/api/v1/surveys/{id}/results/notify']) {
      expect(Object.keys(doc.paths)).toContain(route);
    }
  });

  it('the organiser workbook matches the results API', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/results.xlsx` })).statusCode).toBe(401);
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/results.xlsx`, headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain(XLSX);
    const results = (await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/results`, headers: auth })).json();
    const ws = (await readXlsx(res.rawPayload)).getWorksheet('集計表')!;
    expect(ws.getCell('A2').value).toBe(`実施・検討率:「総数」/${results.denominator}*100`);
    results.measures.forEach((m: { label: string; total: number; ratePercent: number }, i: number) => {
      expect(ws.getCell(4 + i, 2).value).toBe(m.label);
      expect(ws.getCell(4 + i, 6).value).toBe(m.total);
      expect(ws.getCell(4 + i, 8).value).toBeCloseTo(m.ratePercent / 100, 6);
    });
  });

  it('a respondent gets 403 before 結果公表, then its own workbook once published', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/response/results.xlsx', headers: bearer(CITIES.toyonaka) })).statusCode).toBe(403);
    const early = await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${surveyId}/results/notify`, headers: auth });
    expect(early.statusCode).toBe(409);
    for (const status of ['closed', 'published']) {
      const r = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/surveys/${surveyId}`, headers: auth, payload: { status } });
      expect(r.statusCode, r.body).toBe(200);
    }
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/response/results.xlsx', headers: bearer(CITIES.toyonaka) });
    expect(res.statusCode).toBe(200);
    const wb = await readXlsx(res.rawPayload);
    const header = (wb.getWorksheet('集計表')!.getRow(3).values as unknown[]).slice(1);
    expect(header).toContain('貴市');
    const all = texts(wb);
    for (const secret of ['尼崎', 'ICTプラン', '資産統括局', '姫路', '明石', '情報政策室', '@city.example.lg.jp', '06-6858-2525']) expect(all).not.toContain(secret);
    // one 公表しない city among four: its plan would be the plan statistics minus the listed plans, so the
    // per-city lists are withheld and the workbook says why (issue 12 §2)
    expect(all).toContain(SMALL_GROUP_MESSAGE);
  });

  it('a city that had not submitted gets 403', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/response/results.xlsx', headers: bearer(CITIES.nara) });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toContain('回答を送信した団体');
  });

  it('結果公表 mails every submitted city 「調査結果の送付」 with the way to its page, no attachment', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${surveyId}/results/notify`, headers: auth });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().results.map((r: { cityCode: string }) => r.cityCode)).toEqual([CITIES.toyonaka, CITIES.himeji, CITIES.amagasaki, CITIES.akashi].sort());
    const mails = await ctx.database.db.selectFrom('mail_messages').selectAll().where('kind', '=', 'results').where('survey_id', '=', surveyId).execute();
    expect(mails.map((m) => m.city_code).sort()).toEqual([CITIES.toyonaka, CITIES.himeji, CITIES.amagasaki, CITIES.akashi].sort());
    for (const m of mails) {
      expect(m.subject).toContain('調査結果の送付');
      // each city's own personal link, put in when the mail is sent or exported (never stored in clear)
      expect(m.invitation_id).not.toBeNull();
      expect(m.body).toContain('〔個人用リンク〕');
      expect(m.body).not.toContain(CITIES.nara);
      // the closing line stands apart from the お問い合わせ先 block, as in the invitation
      expect(m.body).toMatch(/\S\n\nご協力に心より感謝申し上げます。/);
    }
  });
});
