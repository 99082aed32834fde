// The one way builders write a cell: text that Excel (or a CSV made from it) could take for a formula
// (=, +, -, @, tab, CR, LF at the start) is prefixed with ' ; only formulas the platform wrote are formulas.
import type { Cell, Worksheet } from 'exceljs';

const FORMULA_TRIGGER = /^[=+\-@\t\r\n]/;
// Control characters other than tab/CR/LF are not allowed in XML and would corrupt the file.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** A formula the platform itself writes (never built from user input). */
export interface PlatformFormula {
  formula: string;
  result?: number | string;
}

export type CellInput = string | number | boolean | Date | null | undefined | PlatformFormula;

/** Text made safe to show: invalid XML characters removed, formula triggers neutralised. */
export function safeText(text: string): string {
  const cleaned = text.replace(XML_INVALID, '');
  return FORMULA_TRIGGER.test(cleaned) ? `'${cleaned}` : cleaned;
}

/** Reverses safeText's prefix when a workbook comes back (the ' is ours, the rest is the user's text). */
export function unsafeTextBack(text: string): string {
  return text.startsWith("'") && FORMULA_TRIGGER.test(text.slice(1)) ? text.slice(1) : text;
}

export function safeValue(value: CellInput): Cell['value'] {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value === '' ? null : safeText(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return value as Cell['value'];
}

/** Writes a value to a cell (1-based row and column) through safeValue; returns the cell for styling. */
export function put(ws: Worksheet, row: number, col: number, value: CellInput): Cell {
  const cell = ws.getCell(row, col);
  cell.value = safeValue(value);
  return cell;
}

/** Writes a whole row of values starting at column 1. */
