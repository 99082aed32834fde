// Reads an uploaded .xlsx package's XML as a stream before any workbook library sees it. exceljs expands
// merge ranges, defined names and data validations cell by cell while loading, so one short range such as
// E200:XFD1048576 costs gigabytes: here every range and cell reference is checked against what the caller's
// layout can hold, shared strings and real (inflated) bytes are counted, and the scan stops at the first cap.
// Inflation is node's zlib (off the event loop, one small chunk at a time); the XML parser is saxes, the one
// exceljs itself uses, so both read the same tags. No DOM is built: only counts and a few named cells are kept.
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import JSZip from 'jszip';
import { SaxesParser } from 'saxes';
import { MAX_ENTRIES, MAX_UPLOAD_BYTES } from './upload-guard.js';

/** What a workbook may contain: every cap is checked while reading, before exceljs is given the file. */
export interface WorkbookLimits {
  /** what the file is called in messages, e.g. 調査票 or 名簿ファイル */
  label: string;
  /** what to do instead, added to each refusal of a layout cap (a sentence ending with 。) */
  advice: string;
  maxSheets: number;
  /** the last row and column any cell, merge, validation or defined name may reach (per sheet) */
  maxRow: number;
  maxColumn: number;
  /** cells written in all sheets together */
  maxCells: number;
  maxMerges: number;
  /** cells covered by all merges together (exceljs creates each one) */
  maxMergedCells: number;
  /** cells covered by all data validations together (exceljs stores one entry per cell) */
  maxValidatedCells: number;
  maxDefinedNames: number;
  /** cells named by all defined names together (exceljs builds a matrix of them) */
  maxDefinedNameCells: number;
  maxSharedStrings: number;
  maxUncompressedBytes: number;
}

export type ScanProblemKind = 'not-xlsx' | 'too-large' | 'zip-bomb' | 'beyond-layout';
export interface ScanProblem {
  kind: ScanProblemKind;
  /** the sheet and range (調査票!E200:XFD1048576), the sheet, or the file's label */
  path: string;
  message: string;
}

export interface ScanFigures {
  sheets: number;
  maxRow: number;
  maxColumn: number;
  cells: number;
  merges: number;
  mergedCells: number;
  validatedCells: number;
  definedNames: number;
  definedNameCells: number;
  sharedStrings: number;
  uncompressedBytes: number;
}

export interface XlsxScan {
  problem: ScanProblem | null;
  figures: ScanFigures;
  /** sheet names in workbook order */
  sheetNames: string[];
  /** the cells of `readSheet` (up to row 20, column B) by address, as text; shared strings resolved */
  cells: Record<string, string>;
}

const EXCEL_MAX_ROW = 1_048_576;
const EXCEL_MAX_COLUMN = 16_384;
/** Excel's own limit on a formula, which a defined name is */
const MAX_DEFINED_NAME_LENGTH = 8_192;
const READ_ROWS = 20;
const READ_COLUMNS = 2;

export const NOT_XLSX = 'Excel ブック（.xlsx）ではありません。Excel 形式（.xlsx）のまま保存したファイルを送ってください。';

class Refusal extends Error {
  constructor(readonly problem: ScanProblem) {
    super(problem.message);
  }
}

/** 'A' → 1 … 'XFD' → 16384 */
export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

export function columnLetters(n: number): string {
  let s = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}

interface Area {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

const CELL = /^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$/;

/** 'B3', '$B$3', 'A1:XFD1048576' → the area; null when it is not an A1 reference. */
export function parseArea(ref: string): Area | null {
  const [a, b, extra] = ref.split(':');
  if (extra !== undefined) return null;
  const m1 = CELL.exec(a);
  const m2 = b === undefined ? m1 : CELL.exec(b);
  if (!m1 || !m2) return null;
  const [r1, c1, r2, c2] = [Number(m1[2]), columnNumber(m1[1]), Number(m2[2]), columnNumber(m2[1])];
  return { top: Math.min(r1, r2), left: Math.min(c1, c2), bottom: Math.max(r1, r2), right: Math.max(c1, c2) };
}

const areaSize = (a: Area) => (a.bottom - a.top + 1) * (a.right - a.left + 1);
const limitText = (limits: WorkbookLimits) => `${columnLetters(limits.maxColumn)} 列・${limits.maxRow.toLocaleString('en-US')} 行まで`;

/** A1 references, whole rows ($9:$9) and whole columns ($A:$D) in a defined name's formula. */
const NAME_REFS = /(?<![A-Za-z0-9_.])\$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,7}))?(?![A-Za-z0-9_(])|(?<![A-Za-z0-9_.$])\$?([0-9]{1,7}):\$?([0-9]{1,7})(?![0-9])|(?<![A-Za-z0-9_.])\$?([A-Za-z]{1,3}):\$?([A-Za-z]{1,3})(?![A-Za-z0-9_(])/g;

interface SheetTarget {
  name: string;
  path: string;
}

type Entry = JSZip.JSZipObject & { _data?: { compressedContent?: Uint8Array; uncompressedSize?: number; compression?: { magic?: string } } };

/** The entry's inflated bytes in chunks, by zlib off the main thread; counted against the remaining budget. */
async function* inflate(entry: Entry): AsyncGenerator<Buffer> {
  const data = entry._data;
  const content = data?.compressedContent;
  if (!content || !data?.compression) throw new Error('unreadable');
  const input = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  if (data.compression.magic === '\x00\x00') {
    for (let i = 0; i < input.length; i += 64 * 1024) {
      yield input.subarray(i, i + 64 * 1024);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return;
  }
  if (data.compression.magic !== '\x08\x00') throw new Error('unreadable');
  const stream = Readable.from([input]).pipe(zlib.createInflateRaw({ chunkSize: 16 * 1024 }));
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } finally {
    stream.destroy();
  }
}

export async function scanXlsx(body: Buffer, limits: WorkbookLimits, options: { readSheet?: string } = {}): Promise<XlsxScan> {
  const figures: ScanFigures = {
    sheets: 0,
    maxRow: 0,
    maxColumn: 0,
    cells: 0,
    merges: 0,
    mergedCells: 0,
    validatedCells: 0,
    definedNames: 0,
    definedNameCells: 0,
    sharedStrings: 0,
    uncompressedBytes: 0,
  };
  const result: XlsxScan = { problem: null, figures, sheetNames: [], cells: {} };
  const refuse = (kind: ScanProblemKind, path: string, message: string): never => {
    throw new Refusal({ kind, path, message: kind === 'beyond-layout' ? `${message}${limits.advice}` : message });
  };
  const beyond = (path: string, what: string) =>
    refuse('beyond-layout', path, `${path}: ${what}が${limits.label}として想定する大きさ（${limitText(limits)}）を超えているため、受け付けられません。`);

  try {
    if (body.length > MAX_UPLOAD_BYTES) refuse('too-large', limits.label, `ファイルが大きすぎます（上限 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB）。`);
    if (body.length < 4 || body[0] !== 0x50 || body[1] !== 0x4b) refuse('not-xlsx', limits.label, NOT_XLSX);
    let zip: JSZip;
    try {
      zip = await JSZip.loadAsync(body, { checkCRC32: false });
    } catch {
      return refuse('not-xlsx', limits.label, NOT_XLSX);
    }
    const entries = Object.values(zip.files).filter((f) => !f.dir) as Entry[];
    if (entries.length > MAX_ENTRIES) refuse('zip-bomb', limits.label, 'ファイルの構成が Excel ブックとして不自然なため、受け付けられません（部品の数が多すぎます）。');
    const byName = new Map(entries.map((e) => [e.name, e]));
    if (!byName.has('xl/workbook.xml') || !byName.has('[Content_Types].xml')) refuse('not-xlsx', limits.label, NOT_XLSX);
    const bomb = () => refuse('zip-bomb', limits.label, `展開後のサイズが大きすぎるため受け付けられません（上限 ${limits.maxUncompressedBytes / 1024 / 1024} MB）。`);
    const declared = entries.reduce((sum, e) => sum + (e._data?.uncompressedSize ?? 0), 0);
    if (declared > limits.maxUncompressedBytes) bomb();

    /** Inflates one entry (real bytes counted), feeding its XML to a fresh saxes parser when handlers are given. */
    const read = async (entry: Entry, handlers?: (parser: SaxesParser) => void): Promise<void> => {
      const parser = handlers ? new SaxesParser() : null;
      if (parser) {
        parser.on('error', () => refuse('not-xlsx', limits.label, 'Excel ブックの中身（XML）が壊れているため読み込めません。ファイルを保存し直してください。'));
        handlers!(parser);
      }
      const decoder = new TextDecoder('utf-8');
      try {
        for await (const chunk of inflate(entry)) {
          figures.uncompressedBytes += chunk.length;
          if (figures.uncompressedBytes > limits.maxUncompressedBytes) bomb();
          parser?.write(decoder.decode(chunk, { stream: true }));
        }
      } catch (err) {
        if (err instanceof Refusal) throw err;
        refuse('not-xlsx', limits.label, NOT_XLSX);
      }
      if (parser) {
        parser.write(decoder.decode());
        parser.close();
      }
    };

    const checkDefinedName = (label: string, formula: string) => {
      const path = `名前の定義「${label.slice(0, 40)}」`;
      for (const m of formula.matchAll(NAME_REFS)) {
        if (m[1] !== undefined) {
          const area = parseArea(m[3] === undefined ? `${m[1]}${m[2]}` : `${m[1]}${m[2]}:${m[3]}${m[4]}`)!;
          if (area.bottom > limits.maxRow || area.right > limits.maxColumn) beyond(`${path}（${m[0]}）`, '名前の定義の範囲');
          figures.definedNameCells += areaSize(area);
          if (figures.definedNameCells > limits.maxDefinedNameCells) beyond(path, '名前の定義の範囲');
        } else if (m[5] !== undefined) {
          if (Math.max(Number(m[5]), Number(m[6])) > limits.maxRow) beyond(`${path}（${m[0]}）`, '名前の定義（印刷タイトルなど）の行');
        } else if (Math.max(columnNumber(m[7]), columnNumber(m[8])) > limits.maxColumn) {
          beyond(`${path}（${m[0]}）`, '名前の定義（印刷タイトルなど）の列');
        }
      }
    };

    // 1. workbook.xml: sheets and defined names (print titles among them).
    const sheetIds: Array<{ name: string; rid: string }> = [];
    await read(byName.get('xl/workbook.xml')!, (p) => {
      let name: { text: string; label: string } | null = null;
      p.on('opentag', (tag) => {
        const attrs = tag.attributes as Record<string, string>;
        if (tag.name === 'sheet') {
          if (++figures.sheets > limits.maxSheets) refuse('beyond-layout', limits.label, `シートの数が多すぎるため受け付けられません（${limits.maxSheets} 枚まで）。`);
          sheetIds.push({ name: attrs.name ?? '', rid: attrs['r:id'] ?? '' });
        } else if (tag.name === 'definedName') {
          if (++figures.definedNames > limits.maxDefinedNames) refuse('beyond-layout', limits.label, `名前の定義が多すぎるため受け付けられません（${limits.maxDefinedNames} 個まで）。`);
          name = { text: '', label: attrs.name ?? '' };
        }
      });
      p.on('text', (text) => {
        if (!name) return;
        name.text += text;
        if (name.text.length > MAX_DEFINED_NAME_LENGTH) refuse('beyond-layout', limits.label, `名前の定義「${name.label.slice(0, 40)}」が長すぎるため受け付けられません。`);
      });
      p.on('closetag', (tag) => {
        if (tag.name !== 'definedName' || !name) return;
        checkDefinedName(name.label, name.text);
        name = null;
      });
    });

    // 2. which part holds which sheet (for messages and for the sheet to read).
    const targets = new Map<string, string>();
    const rels = byName.get('xl/_rels/workbook.xml.rels');
    if (rels) {
      await read(rels, (p) =>
        p.on('opentag', (tag) => {
          const attrs = tag.attributes as Record<string, string>;
          if (tag.name === 'Relationship' && attrs.Id && attrs.Target) {
            const t = attrs.Target.replace(/^\//, '');
            targets.set(attrs.Id, t.startsWith('xl/') ? t : `xl/${t}`);
          }
        }),
      );
    }
    result.sheetNames = sheetIds.map((s) => s.name);
    const sheetOf = new Map<string, string>(sheetIds.flatMap((s) => (targets.has(s.rid) ? [[targets.get(s.rid)!, s.name] as [string, string]] : [])));

    // 3. every worksheet part (exceljs loads each one, listed or not).
    const sheets: SheetTarget[] = entries.filter((e) => /^xl\/worksheets\/[^/]+\.xml$/.test(e.name)).map((e) => ({ path: e.name, name: sheetOf.get(e.name) ?? e.name }));
    const wanted = new Map<string, { type: string; value: string }>();
    for (const sheet of sheets) {
      const reading = options.readSheet !== undefined && sheet.name === options.readSheet;
      await read(byName.get(sheet.path)!, (p) => scanSheet(p, sheet.name, reading ? wanted : null));
    }

    // 4. shared strings: counted; the few the read sheet points at are kept.
    const needed = new Map<number, string>();
    for (const cell of wanted.values()) if (cell.type === 's' && /^[0-9]{1,9}$/.test(cell.value)) needed.set(Number(cell.value), '');
    const sst = byName.get('xl/sharedStrings.xml');
    if (sst) {
      await read(sst, (p) => {
        let index = -1;
        let phonetic = 0;
        let inText = false;
        p.on('opentag', (tag) => {
          if (tag.name === 'si') {
            index++;
            if (++figures.sharedStrings > limits.maxSharedStrings) refuse('beyond-layout', limits.label, `文字列の数が${limits.label}として想定する数（${limits.maxSharedStrings.toLocaleString('en-US')} 個まで）を超えているため、受け付けられません。`);
          } else if (tag.name === 'rPh') phonetic++;
          else if (tag.name === 't') inText = true;
        });
        p.on('text', (text) => {
          // furigana (rPh) is not the cell's text
          if (inText && phonetic === 0 && needed.has(index)) needed.set(index, (needed.get(index)! + text).slice(0, 1000));
        });
        p.on('closetag', (tag) => {
          if (tag.name === 'rPh') phonetic--;
          else if (tag.name === 't') inText = false;
        });
      });
    }
    for (const [address, cell] of wanted) {
      result.cells[address] = cell.type === 's' ? (needed.get(Number(cell.value)) ?? '') : cell.value;
    }

    // 5. everything else: real bytes only.
    const scanned = new Set(['xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', ...sheets.map((s) => s.path)]);
    for (const entry of entries) if (!scanned.has(entry.name)) await read(entry);
    return result;
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    result.problem = err.problem;
    return result;
  }

  function scanSheet(p: SaxesParser, sheet: string, wanted: Map<string, { type: string; value: string }> | null): void {
    let row = 0;
    let column = 0;
    let cell: { address: string; type: string; value: string } | null = null;
    let inValue = 0;
    let phonetic = 0;
    const at = (ref: string) => `${sheet}!${ref.slice(0, 40)}`;
    const within = (ref: string | undefined, what: string): Area | null => {
      if (ref === undefined) return null;
      const area = parseArea(ref);
      if (!area) return refuse('beyond-layout', at(ref), `${at(ref)}: ${what}の範囲「${ref.slice(0, 40)}」を読み取れないため、受け付けられません。`);
      if (area.bottom > limits.maxRow || area.right > limits.maxColumn) beyond(at(ref), `${what}の範囲「${ref.slice(0, 40)}」`);
      return area;
    };
    p.on('opentag', (tag) => {
      const attrs = tag.attributes as Record<string, string>;
      switch (tag.name) {
        case 'dimension':
          within(attrs.ref, '使用範囲（dimension）');
          break;
        case 'col':
          if (Number(attrs.max) > EXCEL_MAX_COLUMN || Number(attrs.min) > EXCEL_MAX_COLUMN) refuse('beyond-layout', sheet, `${sheet}: 列の設定が Excel の列数を超えているため、受け付けられません。`);
          break;
        case 'row': {
          const r = attrs.r === undefined ? row + 1 : Number(attrs.r);
          if (!Number.isInteger(r) || r < 1 || r > EXCEL_MAX_ROW) refuse('beyond-layout', sheet, `${sheet}: 行番号「${String(attrs.r).slice(0, 20)}」が正しくないため、受け付けられません。`);
          if (r > limits.maxRow) beyond(`${sheet}!${r}行目`, 'データのある行');
          row = r;
          column = 0;
          break;
        }
        case 'c': {
          let ref = attrs.r;
          if (ref === undefined) ref = `${columnLetters(column + 1)}${row}`;
          const area = within(ref, 'セル');
          if (area) {
            column = area.left;
            figures.maxRow = Math.max(figures.maxRow, area.top);
            figures.maxColumn = Math.max(figures.maxColumn, area.left);
          }
          if (++figures.cells > limits.maxCells) refuse('beyond-layout', sheet, `${sheet}: セルの数が${limits.label}として想定する数（${limits.maxCells.toLocaleString('en-US')} 個まで）を超えているため、受け付けられません。`);
          if (wanted && area && area.top <= READ_ROWS && area.left <= READ_COLUMNS) cell = { address: ref.replace(/\$/g, '').toUpperCase(), type: attrs.t ?? 'n', value: '' };
          break;
        }
        case 'v':
        case 't':
          if (cell) inValue++;
          break;
        case 'rPh':
          phonetic++;
          break;
        case 'mergeCell': {
          const area = within(attrs.ref, 'セルの結合');
          if (++figures.merges > limits.maxMerges) refuse('beyond-layout', sheet, `${sheet}: セルの結合が多すぎるため受け付けられません（${limits.maxMerges.toLocaleString('en-US')} か所まで）。`);
          figures.mergedCells += area ? areaSize(area) : 0;
          if (figures.mergedCells > limits.maxMergedCells) refuse('beyond-layout', sheet, `${sheet}: 結合されたセルが多すぎるため受け付けられません（合わせて ${limits.maxMergedCells.toLocaleString('en-US')} セルまで）。`);
          break;
        }
        case 'dataValidation':
          for (const ref of (attrs.sqref ?? '').split(/\s+/).filter(Boolean)) {
            const area = within(ref, '入力規則');
            figures.validatedCells += area ? areaSize(area) : 0;
            if (figures.validatedCells > limits.maxValidatedCells) refuse('beyond-layout', sheet, `${sheet}: 入力規則を設定したセルが多すぎるため受け付けられません（合わせて ${limits.maxValidatedCells.toLocaleString('en-US')} セルまで）。`);
          }
          break;
        case 'hyperlink':
          within(attrs.ref, 'ハイパーリンク');
          break;
      }
    });
    p.on('text', (text) => {
      if (cell && inValue > 0 && phonetic === 0 && cell.value.length < 1000) cell.value += text;
    });
    p.on('closetag', (tag) => {
      if (tag.name === 'c' && cell) {
        wanted!.set(cell.address, { type: cell.type, value: cell.value });
        cell = null;
      } else if ((tag.name === 'v' || tag.name === 't') && inValue > 0) inValue--;
      else if (tag.name === 'rPh') phonetic--;
    });
  }
}
