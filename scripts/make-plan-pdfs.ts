// Builds the committed PDF fixtures in test/fixtures/plans/ from the copied reference text (run once by hand:
// `npx tsx scripts/make-plan-pdfs.ts`; needs Debian's libreoffice, fonts-noto-cjk and poppler-utils). Not used at test time.
// LibreOffice typesets the HTML with Noto Sans CJK JP and embeds a font subset, as office suites do for real plans.
// (pdf-lib + fontkit was tried first: its CFF subset of Noto CJK is an invalid font that poppler cannot read.)
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';

const dir = path.resolve('test/fixtures/plans');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'plan-pdf-'));
const source = readFileSync(path.join(dir, 'musashimurayama-4th.txt'), 'utf8').split('\n');
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const lines = (from: number, to: number) => source.slice(from, to).map((l) => l.replace(/<[^>]*>/g, ' ').replace(/\t/g, '  ').trimEnd());

const coverEnd = source.findIndex((l) => l.includes('策定に当たって'));
const measures = source.findIndex((l, i) => i > 1000 && l.startsWith('(4) 人々が思いやり'));
const chapter = source.findIndex((l, i) => i > 1000 && l.startsWith('4 情報化基本計画の施策'));
const pages = [lines(0, coverEnd), lines(coverEnd, coverEnd + 12), [...lines(chapter, chapter + 1), ...lines(measures, measures + 76)]];
const body = pages
  .flatMap((page, i) => page.map((l, j) => `<p${i > 0 && j === 0 ? ' style="page-break-before: always"' : ''}>${escape(l) || '&nbsp;'}</p>`))
  .join('\n');
writeFileSync(path.join(tmp, 'excerpt.html'), `<html><head><meta charset="utf-8"><style>body{font-family:"Noto Sans CJK JP";font-size:10pt}</style></head><body>${body}</body></html>`);
execFileSync('soffice', ['--headless', '--convert-to', 'pdf:writer_pdf_Export', '--outdir', tmp, path.join(tmp, 'excerpt.html')]);
copyFileSync(path.join(tmp, 'excerpt.pdf'), path.join(dir, 'musashimurayama-excerpt.pdf'));

// The scanned copy: page 1 rasterised, then placed as an image with no text layer.
execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '60', '-gray', '-png', path.join(tmp, 'excerpt.pdf'), path.join(tmp, 'page')]);
const scanned = await PDFDocument.create();
const image = await scanned.embedPng(readFileSync(path.join(tmp, 'page-1.png')));
scanned.addPage([595, 842]).drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
writeFileSync(path.join(dir, 'scanned.pdf'), await scanned.save());
