// The served workbooks use 游ゴシック as the default font (so unstyled cells of the long lists show in it)
// and still open cleanly.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { workbookToBuffer } from '../exports/serialise.js';

describe('workbook serialisation', () => {
  it('sets the default font to 游ゴシック and the file reads back with its values', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('回答一覧');
    ws.getCell('A1').value = '実施済';
    ws.getCell('B2').value = 42;
    const buffer = await workbookToBuffer(wb);

    const styles = await (await JSZip.loadAsync(buffer)).file('xl/styles.xml')!.async('string');
    const firstFont = /<fonts[^>]*>(<font>.*?<\/font>)/s.exec(styles)![1];
    expect(firstFont).toContain('<name val="游ゴシック"/>');
    expect(firstFont).not.toContain('Calibri');

    const back = new ExcelJS.Workbook();
    await back.xlsx.load(buffer as unknown as ArrayBuffer);
    expect(back.getWorksheet('回答一覧')!.getCell('A1').value).toBe('実施済');
    expect(back.getWorksheet('回答一覧')!.getCell('B2').value).toBe(42);
  });
});
