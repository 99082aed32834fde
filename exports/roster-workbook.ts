// The roster as an .xlsx in the import's own layout (見出し 1 行 + 1 団体 1 行, the columns of the CSV export):
// export, edit in Excel, import again. Codes and dates are text cells so Excel keeps 012025's leading zero.
import ExcelJS from 'exceljs';
import { ROSTER_COLUMNS, ROSTER_EXPORT_FIELDS, rosterExportRow } from '../server/domain/roster-import.js';
import { put } from './safe-cell.js';
import { headerCell, setPrintArea, setupSheet, styleCell } from './styles.js';

type RosterCity = Parameters<typeof rosterExportRow>[0];

const WIDTHS: Record<string, number> = { code: 11, prefecture: 10, name: 14, nameKana: 18, population: 12, populationDate: 13, email: 34 };

export function buildRosterWorkbook(cities: RosterCity[]): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('団体名簿');
  ROSTER_EXPORT_FIELDS.forEach((f, i) => {
    headerCell(put(ws, 1, i + 1, ROSTER_COLUMNS[f]));
    ws.getColumn(i + 1).width = WIDTHS[f];
  });
  cities.forEach((city, r) => {
    rosterExportRow(city).forEach((value, i) => {
      const field = ROSTER_EXPORT_FIELDS[i];
      const cell = styleCell(put(ws, r + 2, i + 1, value), { numFmt: field === 'population' ? '#,##0' : '@' });
      if (field === 'population') cell.alignment = { ...cell.alignment, horizontal: 'right' };
    });
  });
  setupSheet(ws, { title: '団体名簿', headerRows: 1, gridLines: true });
  setPrintArea(ws, cities.length + 1, ROSTER_EXPORT_FIELDS.length);
  return wb;
}
