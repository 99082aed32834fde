// Field values and upload files for the form fuzz: plausible values per kind of field (valueOf mixes the
// hostile ones in), a respondent's form as a browser posts it, roster CSVs and hostile questionnaire workbooks.
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { cityCodeCheckDigit } from '../../server/domain/city-code.js';
import { completeAnswer } from '../respondent-fixtures.js';
import { formPairs, hostileText, mutatedForm, type Pair, valueOf } from './form-fuzz.js';

const withCheckDigit = (firstFive: string) => `${firstFive}${cityCodeCheckDigit(firstFive)}`;

export const text = fc.constantFrom('総務局 情報管理部 情報企画課', '西宮市情報化推進計画', '中核市情報化推進計画調査', '特になし', 'a');
export const dateText = fc.oneof(fc.date({ min: new Date('1990-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), fc.constantFrom('2026-02-30', '2026-13-01', '0000-00-00', '9999-12-31', '2027-1-5', '令和9年1月29日'));
/** Codes: in the roster, with a wrong check digit, valid but not in the roster (札幌市), mis-sized, full-width. */
export const NOT_IN_ROSTER = withCheckDigit('01100');
export const cityCodeText = fc.constantFrom('282049', '282022', '012025', '282040', NOT_IN_ROSTER, '28204', '2820499', '２８２０４９');
export const emailText = fc.constantFrom('joho@city.example.lg.jp', 'JOHO@CITY.EXAMPLE.LG.JP', ' a@b.jp ', 'a@b', 'a@@b.jp', `${'x'.repeat(250)}@b.jp`);
const yearText = fc.constantFrom('2014', '平成26年度', 'H26', 'R2', '令和2年度', '1899', '2101', '２０１８', '0');
const answerText = fc.constantFrom('implemented', 'studying', 'none', 'IMPLEMENTED', '実施済');

const respondentFields = (measureCodes: string[]) => ({
  department: text,
  personKana: fc.constantFrom('ニシノミヤ タロウ', 'ﾆｼﾉﾐﾔ ﾀﾛｳ', 'にしのみや', 'Taro'),
  phone: fc.constantFrom('0798-35-3151', '０７９８－３５－３１５１', '(0798) 35 3151', '123', '0798-35-31511111'),
  email: emailText,
  hasPlan: fc.constantFrom('yes', 'no', 'maybe'),
  planName: text,
  latestNumber: fc.constantFrom('第4次', '第四次', '4', '0', '100', '第九十九次'),
  updateCycleYears: fc.constantFrom('5', '５年', '0', '21', '5年ごと'),
  updateCycleIrregular: fc.constantFrom('1', '0', 'on'),
  periodStart: yearText,
  periodEnd: yearText,
  nextPlan: fc.constantFrom('update', 'merge', 'abolish', 'undecided', 'never'),
  notes: text,
  disclosure: fc.constantFrom('public', 'anonymous', 'private', 'secret'),
  action: fc.constantFrom('save', 'submit'),
  ...Object.fromEntries(measureCodes.slice(0, 46).map((c) => [`m_${c}`, answerText])),
});

/** A complete, valid answer as form fields, with a few fields replaced or repeated by generated values. */
export function respondentBody(measureCodes: string[]): fc.Arbitrary<Pair[]> {
  const a = completeAnswer(measureCodes);
  const complete: Pair[] = [
    ['department', a.contact.department], ['personKana', a.contact.personKana], ['phone', a.contact.phone], ['email', a.contact.email],
    ['hasPlan', 'yes'], ['planName', a.plan.name], ['latestNumber', '第4次'], ['updateCycleYears', '5'], ['periodStart', '平成26年度'], ['periodEnd', 'H30'],
    ['nextPlan', 'update'], ['notes', ''], ['disclosure', 'public'], ...measureCodes.map((c, i): Pair => [`m_${c}`, ['implemented', 'studying', 'none'][i % 3]]),
  ];
  const mutated = fc.tuple(mutatedForm(fc.constant(complete)), fc.constantFrom('save', 'submit')).map(([pairs, action]) => [...pairs, ['action', action] as Pair]);
  return fc.oneof(formPairs(respondentFields(measureCodes)), mutated);
}

/** The form's version field: mostly the current version (looked up just before posting), sometimes not. */
export const versionText = fc.oneof({ weight: 6, arbitrary: fc.constant('CURRENT') }, { weight: 1, arbitrary: fc.constantFrom('0', '-1', '1.5', '', '999999', '1e3') });

/** Roster CSV files: generated cells, or one clean row whose name is hostile text; UTF-8, UTF-8 with BOM or Shift_JIS. */
export function rosterCsv(): fc.Arbitrary<Buffer> {
  const cell = valueOf(fc.constantFrom('282049', withCheckDigit('99999'), '兵庫県', '西宮市', '480,123', '令和5年10月1日', 'joho@example.lg.jp'));
  const clean = hostileText.map((name) => [['012041', '北海道', name, '332000', '2020-10-01', '']]); // a valid row named with hostile text
  return fc
    .tuple(fc.oneof(fc.array(fc.array(cell, { minLength: 4, maxLength: 7 }), { maxLength: 6 }), clean), fc.constantFrom('utf8', 'Shift_JIS', 'bom'))
    .map(([rows, enc]) => {
      const csv = ['団体コード,都道府県,市名,人口,人口基準日,照会先メールアドレス', ...rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(','))].join('\r\n');
      return enc === 'Shift_JIS' ? iconv.encode(csv, 'Shift_JIS') : Buffer.concat([Buffer.from(enc === 'bom' ? [0xef, 0xbb, 0xbf] : []), Buffer.from(csv)]);
    });
}

export const filename = fc.constantFrom('roster.csv', 'roster.xlsx', '調査票.xlsx', 'x.txt', '', '../../etc/passwd', 'a\u202Excsl.csv');

/** The downloaded questionnaire, and copies whose answer column holds hostile cells of every type. */
export async function questionnaireVariants(original: Buffer): Promise<Buffer[]> {
  const cells: ExcelJS.CellValue[] = [
    ...['<script>alert(1)</script>', '=HYPERLINK("http://evil.example/")', '@SUM(A1)', '\u202E実施済', '実施済\u0000', '第九十九次', '平成99年度', 'ﾆｼﾉﾐﾔ', 'x'.repeat(40_000)],
    { formula: 'HYPERLINK("http://evil.example/","実施済")', result: '実施済' },
    { richText: [{ text: '実施' }, { text: '済' }] },
    { text: 'mail', hyperlink: 'mailto:joho@example.lg.jp' },
    new Date('2014-04-01'),
    true,
    -1,
    1e300,
    { error: '#REF!' } as ExcelJS.CellErrorValue,
  ];
  const out = [original];
  for (let v = 0; v < 6; v++) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(original as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('調査票')!;
    let i = v;
    sheet.eachRow((row) => {
      if (row.getCell(1).value || row.getCell(3).value) row.getCell(4).value = (i++ * 7) % 3 === 0 ? cells[i % cells.length] : row.getCell(4).value;
    });
    if (v === 5) wb.getWorksheet('管理情報')?.eachRow((row) => (row.getCell(2).value = '=1+1'));
    out.push(Buffer.from(await wb.xlsx.writeBuffer()));
  }
  out.push(original.subarray(0, Math.floor(original.length / 2))); // a truncated zip
  return out;
}
