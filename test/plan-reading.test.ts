// Reading a plan's text (pure functions) and the extraction of each format: the plan's own title, edition and
// period in every 和暦/西暦 form, suggestions per measure from synonyms, tense and the plan's structure.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { CHUKAKUSHI_2018 } from '../server/domain/templates/chukakushi-2018.js';
import { extractPages, rangeCells } from '../server/plans/extract.js';
import { formatOfContentType, sniffPlanFile } from '../server/plans/formats.js';
import { readPlanDocument } from '../server/plans/read-document.js';
import { findPeriods } from '../server/plans/reading/plan-fields.js';
import { readPlan } from '../server/plans/reading/read-plan.js';

const MEASURES = CHUKAKUSHI_2018.measures.map((m) => ({ code: m.code, label: m.label }));
const code = (label: string) => MEASURES.find((m) => m.label === label)!.code;

describe('plan period', () => {
  it.each([
    ['(平成28年度～平成32年度)', 2016, 2020],
    ['令和 2 年度～令和 7 年度', 2020, 2025],
    ['平成30年度(2018年度)から34年度(2022年度)まで', 2018, 2022],
    ['平成２８年度　～　平成３２年度', 2016, 2020],
    ['計画期間は、２０２１年度から２０２５年度までの５年間です。', 2021, 2025],
    ['H29年度～H33年度', 2017, 2021],
  ])('%s → %i–%i', (text, start, end) => {
    const [hit] = findPeriods(text);
    expect(hit).toMatchObject({ start, end });
    expect(text).toContain(hit.text); // the evidence is a passage of the text
  });

  it('a range of dates (平成27年5月～) is not a period', () => {
    expect(findPeriods('平成27年5月～平成28年3月に意見を募集しました')).toEqual([]);
  });
});

describe('plan fields', () => {
  it('takes the plan\'s own title, not a higher plan quoted on the cover, and no number it does not carry', () => {
    const cover = '「第5次西宮市総合計画」の個別計画\n西宮市情報化推進計画\n令和3年度～令和7年度\n令和3年3月\n西宮市';
    const { plan } = readPlan([cover, '本計画は、第4次西宮市情報化推進計画の後継として策定しました。'], MEASURES);
    expect(plan.name?.value).toBe('西宮市情報化推進計画');
    expect(plan.latestNumber).toBeNull();
    expect(plan.periodStart?.value).toBe(2021);
    expect(plan.periodEnd?.value).toBe(2025);
    expect(plan.updateCycleYears?.value).toBe(5);
  });

  it('joins a title broken over two cover lines and reads its edition as 第N次', () => {
    const { plan } = readPlan(['武 蔵 村 山 市\n第四次情報化基本計画\n'], MEASURES);
    expect(plan.name?.value).toBe('武蔵村山市第四次情報化基本計画');
    expect(plan.latestNumber?.value).toBe('第4次');
  });

  it('the period of a predecessor in the text is passed over; this plan\'s own period sentence is taken', () => {
    const text = [
      '高槻市地域情報化計画',
      '',
      '「第三次高槻市情報化計画」の計画期間（平成23年度～平成27年度）が満了しました。',
      '本計画の計画期間は、令和2年度から令和6年度までの5年間とします。',
    ].join('\n');
    const { plan } = readPlan([text], MEASURES);
    expect(plan.latestNumber).toBeNull();
    expect([plan.periodStart?.value, plan.periodEnd?.value]).toEqual([2020, 2024]);
  });
});

describe('measure suggestions', () => {
  const plan = [
    '豊中市情報化計画',
    '第2章 国の動向',
    '国は、オープンデータの推進を掲げています。',
    '第3章 これまでの取組',
    '市では、フェイスブックやツイッターで市政情報を発信しています。',
    '平成29年度に地理情報システムを導入しました。',
    '第4章 施策の展開',
    '(1) 災害に強い情報基盤',
    '大規模災害に備え、ICT部門の業務継続計画を策定します。',
    '定型業務への RPA の導入を検討します。',
    '用語集',
    'メールマガジン\t電子メールで定期的に情報を届ける仕組み。',
  ].join('\n');
  const reading = readPlan([plan], [...MEASURES, { code: 'X01', label: 'RPAの導入' }]);

  it('finds measures however the plan phrases them, with the tense deciding 実施済 / 検討中', () => {
    expect(reading.measures[code('SNSの活用')]?.suggestion).toBe('implemented');
    expect(reading.measures[code('GISの活用')]?.suggestion).toBe('implemented');
    expect(reading.measures[code('BCPの策定(ICT)')]?.suggestion).toBe('studying');
  });

  it('a measure an organiser added is found from its own label', () => {
    expect(reading.measures.X01).toMatchObject({ suggestion: 'studying', evidence: [{ page: 1, text: '定型業務への RPA の導入を検討します。' }] });
  });

  it('national trends and the glossary suggest nothing', () => {
    expect(reading.measures[code('オープンデータの活用')]).toBeUndefined();
    expect(reading.measures[code('メルマガの導入')]).toBeUndefined();
  });

  it('every evidence is a passage of the document on its page', () => {
    for (const m of Object.values(reading.measures)) for (const e of m.evidence) expect(plan).toContain(e.text);
  });
});

describe('formats', () => {
  it('content types: the four plan types, and text only as UTF-8', () => {
    expect(formatOfContentType('application/pdf')).toBe('pdf');
    expect(formatOfContentType('text/plain; charset=UTF-8')).toBe('txt');
    expect(formatOfContentType('text/plain; charset=shift_jis')).toBeUndefined();
    expect(formatOfContentType('image/png')).toBeUndefined();
  });

  it('sniffing: a .pdf must start like a PDF, Office files are zips, text is valid UTF-8', () => {
    expect(sniffPlanFile(Buffer.from('%PDF-1.7\n'), 'pdf')).toBeNull();
    expect(sniffPlanFile(Buffer.from('PK\x03\x04'), 'pdf')).toContain('PDFではありません');
    expect(sniffPlanFile(Buffer.from('%PDF-1.7'), 'docx')).toContain('Word 文書（.docx）ではありません');
    expect(sniffPlanFile(Buffer.from([0x8c, 0x76, 0x89, 0xe6]), 'txt')).toContain('UTF-8 ではありません'); // 「計画」 in Shift_JIS
  });

  it('a Word plan: manual page breaks separate pages', async () => {
    const zip = new JSZip();
    zip.file('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>');
    zip.file('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>');
    const p = (t: string) => `<w:p><w:r><w:t>${t}</w:t></w:r></w:p>`;
    const pageBreak = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>';
    zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${p('豊中市情報化計画')}${p('令和3年度～令和7年度')}${pageBreak}${p('業務継続計画 &amp; BCP を策定します。')}</w:body></w:document>`);
    const pages = await extractPages('docx', new Uint8Array(await zip.generateAsync({ type: 'nodebuffer' })));
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain('豊中市情報化計画\n令和3年度～令和7年度');
    expect(pages[1]).toContain('業務継続計画 & BCP を策定します。');
  });

  it('an Excel plan: one page per sheet, cells as text', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('表紙').getCell('B2').value = '八王子市情報化推進計画';
    const s = wb.addWorksheet('施策');
    s.addRow(['施策', '状況']);
    s.addRow(['電子申請の拡充', '実施済']);
    const pages = await extractPages('xlsx', new Uint8Array(await wb.xlsx.writeBuffer()));
    expect(pages).toEqual(['八王子市情報化推進計画', '施策\t状況\n電子申請の拡充\t実施済']);
  });

  it('a zip that is not a Word document is refused, as is an Excel file with a merge over a million cells', async () => {
    const zip = new JSZip();
    zip.file('[Content_Types].xml', '<Types/>');
    zip.file('xl/workbook.xml', '<workbook/>');
    await expect(readPlanDocument(await zip.generateAsync({ type: 'nodebuffer' }), 'docx', [])).rejects.toMatchObject({ statusCode: 422 });

    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('計画').getCell('A1').value = '情報化計画';
    const book = await JSZip.loadAsync(Buffer.from(await wb.xlsx.writeBuffer()));
    const sheet = await book.file('xl/worksheets/sheet1.xml')!.async('string');
    book.file('xl/worksheets/sheet1.xml', sheet.replace('</sheetData>', '</sheetData><mergeCells count="1"><mergeCell ref="E200:XFD1048576"/></mergeCells>'));
    const bomb = await book.generateAsync({ type: 'nodebuffer' });
    expect(bomb.length).toBeLessThan(30_000);
    await expect(readPlanDocument(bomb, 'xlsx', [])).rejects.toMatchObject({ statusCode: 422, message: expect.stringContaining('範囲が大きすぎる') });
    expect(rangeCells('E200:XFD1048576')).toBeGreaterThan(1e10);
  });
});
