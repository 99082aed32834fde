// Charts as inline SVG strings built on the server (no client library, no CDN): pure functions of the results.
// Each SVG has a <title> and <desc> (aria-labelledby); 実施済/検討中 differ by colour AND pattern, bands by marker shape.
import { closeBidi } from '../lib/bidi.js';
import { ANSWER_LABELS, ANSWER_MARKS, ANSWERS } from '../domain/glossary.js';
import type { CountRow, PlanStats } from '../domain/plan-stats.js';
import { bandRatePercent, type SurveyResults } from '../domain/results.js';

const FONT = '"Hiragino Kaku Gothic ProN","Hiragino Sans","BIZ UDPGothic","Yu Gothic UI",Meiryo,"Noto Sans CJK JP","Noto Sans JP",sans-serif';
export const CHART_COLOURS = { implemented: '#1f5fa0', studying: '#b35900', grid: '#b0b0b0', text: '#1a1a1a', muted: '#4d4d4d' };
const BAND_COLOURS = ['#1f5fa0', '#b35900', '#2e7d32', '#6a1b9a', '#00838f'];
const HOST_MARKS = ANSWER_MARKS;

/** Escapes text for SVG/XML content and attributes (and closes its bidi controls, as pages do). */
export function esc(text: string | number): string {
  return closeBidi(String(text)).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const fmt = (n: number) => (Math.round(n * 100) / 100).toFixed(2);

interface SvgFrame {
  id: string;
  title: string;
  desc: string;
  width: number;
  height: number;
  body: string;
  defs?: string;
}

function svg(f: SvgFrame): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${esc(f.id)}" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" ` +
    `role="img" aria-labelledby="${esc(f.id)}-title ${esc(f.id)}-desc" font-family="${esc(FONT)}" font-size="12" fill="${CHART_COLOURS.text}">` +
    `<title id="${esc(f.id)}-title">${esc(f.title)}</title><desc id="${esc(f.id)}-desc">${esc(f.desc)}</desc>` +
    (f.defs ? `<defs>${f.defs}</defs>` : '') +
    f.body +
    '</svg>'
  );
}

const rect = (x: number, y: number, w: number, h: number, fill: string, extra = '', tooltip?: string) =>
  `<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(Math.max(w, 0))}" height="${fmt(h)}" fill="${fill}"${extra}` +
  (tooltip ? `><title>${esc(tooltip)}</title></rect>` : '/>');
const text = (x: number, y: number, content: string, extra = '') => `<text x="${fmt(x)}" y="${fmt(y)}"${extra}>${esc(content)}</text>`;

/** The 検討中 pattern: diagonal hatching, so the two segments differ without colour. */
function hatch(id: string): string {
  return (
    `<pattern id="${id}" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">` +
    `<rect width="6" height="6" fill="#ffffff"/><rect width="3" height="6" fill="${CHART_COLOURS.studying}"/></pattern>`
  );
}

/** Vertical grid lines and labels at 0, 25, 50, 75, 100 %. */
function percentAxis(x0: number, width: number, top: number, bottom: number): string {
  return [0, 25, 50, 75, 100]
    .map((p) => {
      const x = x0 + (width * p) / 100;
      return `<line x1="${fmt(x)}" y1="${top}" x2="${fmt(x)}" y2="${bottom}" stroke="${CHART_COLOURS.grid}" stroke-width="1"/>` + text(x, top - 4, `${p}%`, ' text-anchor="middle" font-size="11"');
    })
    .join('');
}

const LABEL_W = 320;
const ROW_H = 24;

/** Horizontal bar per measure: 実施・検討率, stacked 実施済 (solid) / 検討中 (hatched), with the host's own answer marked. */
export function rateChart(results: SurveyResults, id = 'chart-rate'): string {
  const barW = 360;
  const width = LABEL_W + barW + 190;
  const top = 56;
  const height = top + results.measures.length * ROW_H + 16;
  const d = results.denominator;
  const pattern = `${id}-hatch`;
  const legend =
    rect(LABEL_W, 8, 16, 16, CHART_COLOURS.implemented) + text(LABEL_W + 22, 21, '実施済') +
    rect(LABEL_W + 90, 8, 16, 16, `url(#${pattern})`, ` stroke="${CHART_COLOURS.studying}"`) + text(LABEL_W + 112, 21, '検討中（斜線）') +
    text(LABEL_W + 230, 21, `${ANSWERS.map((a) => ANSWER_MARKS[a]).join('')} = 本市の回答（${ANSWERS.map((a) => ANSWER_LABELS[a]).join('・')}）`, ' font-size="11"');
  const rows = results.measures
    .map((m, i) => {
      const y = top + i * ROW_H;
      const wi = d > 0 ? (barW * m.implemented) / d : 0;
      const ws = d > 0 ? (barW * m.studying) / d : 0;
      const host = m.host ? `${HOST_MARKS[m.host]}本市 ${ANSWER_LABELS[m.host]}` : '本市 未回答';
      const rate = m.ratePercent === null ? '－' : `${m.ratePercent.toFixed(2)}%`;
      return (
        `<g>${text(LABEL_W - 8, y + 16, m.label, ' text-anchor="end"')}` +
        rect(LABEL_W, y + 4, wi, ROW_H - 8, CHART_COLOURS.implemented, '', `${m.label}: 実施済 ${m.implemented} 団体`) +
        rect(LABEL_W + wi, y + 4, ws, ROW_H - 8, `url(#${pattern})`, ` stroke="${CHART_COLOURS.studying}" stroke-width="${ws > 0 ? 1 : 0}"`, `${m.label}: 検討中 ${m.studying} 団体`) +
        text(LABEL_W + barW + 8, y + 16, rate, ' font-weight="bold"') +
        text(LABEL_W + barW + 70, y + 16, host, m.host ? '' : ` fill="${CHART_COLOURS.muted}"`) +
        '</g>'
      );
    })
    .join('');
  return svg({
    id,
    title: '対策ごとの実施・検討率（実施済と検討中の積み上げ）',
    desc:
      d > 0
        ? `回答 ${d} 団体のうち、各対策を実施済・検討中の団体の割合を横棒で示し、右に実施・検討率と本市の回答を記します。数値は隣の表のとおりです。`
        : '回答がありません。',
    width,
    height,
    defs: hatch(pattern),
    body: legend + percentAxis(LABEL_W, barW, top, height - 12) + rows,
  });
}

/** The shape of band i's marker: circle, square, triangle, diamond … so bands differ without colour. */
function marker(i: number, x: number, y: number, label: string): string {
  const c = BAND_COLOURS[i % BAND_COLOURS.length];
  const t = `<title>${esc(label)}</title>`;
  switch (i % 4) {
    case 0:
      return `<circle cx="${fmt(x)}" cy="${fmt(y)}" r="5.5" fill="${c}">${t}</circle>`;
    case 1:
      return `<rect x="${fmt(x - 5)}" y="${fmt(y - 5)}" width="10" height="10" fill="${c}">${t}</rect>`;
    case 2:
      return `<polygon points="${fmt(x)},${fmt(y - 6)} ${fmt(x + 6)},${fmt(y + 5)} ${fmt(x - 6)},${fmt(y + 5)}" fill="${c}">${t}</polygon>`;
    default:
      return `<polygon points="${fmt(x)},${fmt(y - 6)} ${fmt(x + 6)},${fmt(y)} ${fmt(x)},${fmt(y + 6)} ${fmt(x - 6)},${fmt(y)}" fill="${c}">${t}</polygon>`;
  }
}

/** Band comparison: for each measure, the rate within each population band as a marker on a 0–100 % scale. */
export function bandComparisonChart(results: SurveyResults, id = 'chart-bands'): string {
  const barW = 400;
  const width = LABEL_W + barW + 30;
  const top = 24 + results.bands.length * 20 + 16;
  const height = top + results.measures.length * ROW_H + 16;
  const legend = results.bands
    .map((b, i) => {
      const x = LABEL_W;
      const y = 16 + i * 20;
      return marker(i, x + 6, y, b.label) + text(x + 16, y + 4, `${b.label}（${b.respondents} 団体）`);
    })
    .join('');
  const rows = results.measures
    .map((m, i) => {
      const y = top + i * ROW_H + ROW_H / 2;
      const marks = results.bands
        .map((b, bi) => {
          const rate = bandRatePercent(m.counts[bi], b);
          return rate === null ? '' : marker(bi, LABEL_W + (barW * rate) / 100, y, `${m.label}・${b.label}: ${rate.toFixed(2)}%（${m.counts[bi].total}/${b.respondents} 団体）`);
        })
        .join('');
      return `<g>${text(LABEL_W - 8, y + 4, m.label, ' text-anchor="end"')}<line x1="${LABEL_W}" y1="${fmt(y)}" x2="${LABEL_W + barW}" y2="${fmt(y)}" stroke="#e0e0e0"/>${marks}</g>`;
    })
    .join('');
  return svg({
    id,
    title: '人口区分ごとの実施・検討率',
    desc: `各対策について、人口区分ごとの実施・検討率（その区分の実施済・検討中の団体数 ÷ その区分の回答団体数）を記号（${results.bands
      .map((b, i) => `${b.label}は${['丸', '四角', '三角', 'ひし形'][i % 4]}`)
      .join('、')}）で示します。区分ごとの団体数は隣の表のとおりです。`,
    width,
    height,
    body: legend + percentAxis(LABEL_W, barW, top, height - 12) + rows,
  });
}

/** Plan periods on a timeline: one bar per disclosable city (fiscal years, both ends included). */
export function planTimelineChart(timeline: PlanStats['timeline'], id = 'chart-plan-periods'): string {
  const { bars, firstYear, lastYear } = timeline;
  const labelW = 140;
  const areaW = 520;
  const top = 36;
  const height = top + Math.max(bars.length, 1) * 22 + 12;
  const width = labelW + areaW + 20;
  if (firstYear === null || lastYear === null) {
    return svg({ id, title: '計画期間', desc: '表示できる計画期間がありません。', width, height: 60, body: text(10, 36, '表示できる計画期間がありません') });
  }
  const years = lastYear - firstYear + 1;
  const yw = areaW / years;
  const axis = Array.from({ length: years }, (_, k) => {
    const x = labelW + k * yw;
    return `<line x1="${fmt(x)}" y1="${top - 4}" x2="${fmt(x)}" y2="${height - 8}" stroke="#e0e0e0"/>` + (years <= 16 || k % 2 === 0 ? text(x + yw / 2, top - 10, String(firstYear + k), ' text-anchor="middle" font-size="11"') : '');
  }).join('');
  const rows = bars
    .map((b, i) => {
      const y = top + i * 22;
      const x = labelW + (b.start - firstYear) * yw;
      const w = (b.end - b.start + 1) * yw;
      const label = `${b.name}${b.planName ? `「${b.planName}」` : ''}: ${b.start}〜${b.end}年度`;
      return (
        text(labelW - 8, y + 15, b.name, ' text-anchor="end"') +
        `<rect x="${fmt(x)}" y="${y + 3}" width="${fmt(w)}" height="16" fill="${CHART_COLOURS.implemented}" rx="2"><title>${esc(label)}</title></rect>` +
        text(x + 4, y + 15, `${b.start}〜${b.end}`, ' fill="#ffffff" font-size="11"')
      );
    })
    .join('');
  return svg({
    id,
    title: '計画期間（年度）',
    desc: `公表可の団体の計画期間を年度の横棒で示します（${bars.length} 団体。市名を伏せる団体は A市・B市… と表記し、公表しない団体は表示しません）。`,
    width,
    height,
    body: axis + rows,
  });
}

/** A simple horizontal bar chart of counts (update cycles, next-plan intentions). */
export function countChart(rows: CountRow[], title: string, id: string): string {
  const labelW = 120;
  const areaW = 300;
  const max = Math.max(1, ...rows.map((r) => r.count));
  const height = 12 + rows.length * 24 + 8;
  const body = rows
    .map((r, i) => {
      const y = 12 + i * 24;
      const w = (areaW * r.count) / max;
      return text(labelW - 8, y + 15, r.label, ' text-anchor="end"') + rect(labelW, y + 3, w, 16, CHART_COLOURS.implemented) + text(labelW + w + 6, y + 15, `${r.count} 団体`);
    })
    .join('');
  return svg({ id, title, desc: rows.map((r) => `${r.label} ${r.count} 団体`).join('、'), width: labelW + areaW + 70, height, body });
}
